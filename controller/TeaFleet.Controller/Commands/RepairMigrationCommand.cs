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
        var plan = await new Planner(readers.Create(agents)).PlanRepairMigrationAsync(environment, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        if (plan.NothingToDo || settings.PlanOnly)
        {
            return ExitCodes.Done;
        }

        var driver = new RunDriver(inventory, agents, timeProvider, output);
        var drill = driver.CheckDrill(environment, plan, settings.SkipDrill, settings.Reason);
        driver.Confirm(environment, plan, settings.Yes);
        var flags = new RunFlags(inventory.Path, settings.Yes, settings.SkipDrill, settings.Reason, drill.DrillRunId, "repair migration-failed");
        return await driver.StartAsync(plan, Who("repair"), flags, hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }
}
