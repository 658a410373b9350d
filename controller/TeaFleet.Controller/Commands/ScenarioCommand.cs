using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet scenario NAME ENV [--to REF] [--plan] [--yes] [--skip-drill --reason TEXT]</c>: the runbook's
/// "Rollback Scenarios &amp; Solutions" by name (bad-gateway, migration-failed, worker, frontend).
/// </summary>
public sealed class ScenarioCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : ScenarioCommandBase<ScenarioSettings>(console, timeProvider, readers)
{
    protected override Task<int> RunAsync(ScenarioSettings settings, CommandOutput output, CancellationToken cancellationToken) =>
        RunScenarioAsync(settings, settings.Name, settings.Environment, settings.ToRequest(), settings.PlanOnly, settings.Yes, settings.SkipDrill, settings.Reason, $"scenario {settings.Name}", output, cancellationToken);
}
