using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>Where a run's progress goes: live lines on a terminal, plain lines, or JSON lines.</summary>
public interface IRunObserver
{
    void StepStarted(PlanStep step, string? operationId);

    /// <summary>An agent event or a controller message for a running step.</summary>
    void StepProgress(PlanStep step, StepProgress progress);

    void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed);

    void Note(string message);
}
