using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>How a run ended: its result, and for a failure the step and what it reported.</summary>
public sealed record RunOutcome(StepResult Result, PlanStep? FailedStep, StepOutcome? StepOutcome, string? Error, int ExitCode)
{
    public bool Succeeded => Result == StepResult.Succeeded;
}
