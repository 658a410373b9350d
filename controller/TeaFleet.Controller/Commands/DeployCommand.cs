using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet deploy ENV REF [--services a,b] [--yes]</c>: one services.recreate (kind deploy) per host, rolling.</summary>
public sealed class DeployCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<DeploySettings>(console)
{
    protected override async Task<int> RunAsync(DeploySettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("deploy"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = await new Planner(readers.Create(agents)).PlanDeployAsync(environment, settings.Ref, settings.ServiceList, cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        var driver = new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents));
        driver.Confirm(environment, plan, settings.Yes);
        var flags = new RunFlags(inventory.Path, settings.Yes, false, settings.Reason, null, "deploy");
        return await driver.StartAsync(plan, lease, Who("deploy"), flags, hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }
}
