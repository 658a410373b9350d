using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet repair migration-failed ENV [--plan]</c>: runbook scenario 2. Detects a half-applied
/// migration, then completes it, else downgrades one, else restores the newest verified backup.
/// </summary>
public sealed class RepairMigrationCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<RepairSettings>(console)
{
    protected override async Task<int> RunAsync(RepairSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        // --plan changes nothing and takes no lease; a repair holds the environment from its plan to its end.
        await using var lease = settings.PlanOnly ? null : await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("repair"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = await new Planner(readers.Create(agents)).PlanRepairMigrationAsync(environment, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        if (plan.NothingToDo || settings.PlanOnly)
        {
            return ExitCodes.Done;
        }

        return await new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents))
            .GateAndStartAsync(environment, plan, lease!, Who("repair"), settings.Yes, settings.SkipDrill, settings.Reason, "repair migration-failed", hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }
}
