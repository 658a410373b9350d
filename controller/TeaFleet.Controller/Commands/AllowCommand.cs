using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet allow ENV [--hosts LIST]</c>: undo TeaFleet's block, one host at a time, each host's health checked before the next.</summary>
public sealed class AllowCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : TrafficCommand(console, timeProvider, readers)
{
    protected override string Verb => "allow";

    protected override Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts) => AllowTrafficProcedure.Build(environment, hosts);
}
