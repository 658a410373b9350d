using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet repair migration-failed ENV [--plan]</c>: runbook scenario 2, the alias of
/// <c>teafleet scenario migration-failed ENV</c> (the same code path). Detects a half-applied migration, then
/// completes it, else downgrades one, else restores the newest verified backup.
/// </summary>
public sealed class RepairMigrationCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : ScenarioCommandBase<RepairSettings>(console, timeProvider, readers)
{
    protected override Task<int> RunAsync(RepairSettings settings, CommandOutput output, CancellationToken cancellationToken) =>
        RunScenarioAsync(settings, Scenarios.MigrationFailed, settings.Environment, new ScenarioRequest(null), settings.PlanOnly, settings.Yes, settings.SkipDrill, settings.Reason, "repair migration-failed", output, cancellationToken);
}
