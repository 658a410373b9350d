using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>Keeps the "how to re-attach" hint current while a run follows agent operations.</summary>
public sealed class ReattachTracker(string runId, Action<string> setHint)
{
    public IRunObserver Wrap(IRunObserver inner) => new Observer(inner, this);

    private void Started(PlanStep step, string? operationId) =>
        setHint(operationId is null
            ? $"Continue the run with 'teafleet resume {runId}'."
            : $"Follow the operation with 'teafleet watch {step.Host} {operationId}', or continue the whole run with 'teafleet resume {runId}'.");

    private sealed class Observer(IRunObserver inner, ReattachTracker tracker) : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId)
        {
            tracker.Started(step, operationId);
            inner.StepStarted(step, operationId);
        }

        public void StepProgress(PlanStep step, StepProgress progress) => inner.StepProgress(step, progress);

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) => inner.StepFinished(step, outcome, elapsed);

        public void Note(string message) => inner.Note(message);
    }
}
