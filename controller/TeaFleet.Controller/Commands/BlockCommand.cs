using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet block ENV [--hosts LIST]</c>: deny the public ports of the hosts in ufw.</summary>
public sealed class BlockCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : TrafficCommand(console, timeProvider, readers)
{
    protected override string Verb => "block";

    protected override Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts) => BlockTrafficProcedure.Build(environment, hosts);
}
