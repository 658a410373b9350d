using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>Run progress as plain lines (no terminal, e.g. CI logs).</summary>
public sealed class PlainRunObserver(CommandOutput output, TimeProvider timeProvider) : IRunObserver
{
    private readonly long _start = timeProvider.GetTimestamp();

    public void StepStarted(PlanStep step, string? operationId) =>
        output.Plain($"{Clock()} [{step.Index}] {step.Host} {step.Operation} started{(operationId is null ? "" : $" (operation {operationId})")}");

    public void StepProgress(PlanStep step, StepProgress progress)
    {
        var what = progress.StepName.Length > 0 ? progress.StepName + ": " : "";
        var percent = progress.Percent >= 0 && progress.Phase == StepPhase.Progress ? $" {progress.Percent:0}%" : "";
        output.Plain($"{Clock()} [{step.Index}] {step.Host} {progress.Phase.Word()} {what}{progress.Message}{percent}");
    }

    public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) =>
        output.Plain($"{Clock()} [{step.Index}] {step.Host} {step.Operation} {outcome.Result.Word()} in {elapsed.TotalSeconds:0.0} s: {outcome.Message}");

    public void Note(string message) => output.Plain(message);

    private string Clock() => $"+{timeProvider.GetElapsedTime(_start).TotalSeconds,6:0.0}s";
}
