using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet plan scenario NAME ENV [--to REF]</c>: the plan 'scenario' would run; changes nothing and takes no lease.</summary>
public sealed class PlanScenarioCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : ScenarioCommandBase<PlanScenarioSettings>(console, timeProvider, readers)
{
    protected override Task<int> RunAsync(PlanScenarioSettings settings, CommandOutput output, CancellationToken cancellationToken) =>
        RunScenarioAsync(settings, settings.Name, settings.Environment, settings.ToRequest(), planOnly: true, yes: false, skipDrill: false, reason: null, $"scenario {settings.Name}", output, cancellationToken);
}
