namespace TeaFleet.Controller.Engine;

/// <summary>How a step or a run ended; journaled and printed as the lower-case word ("succeeded", ...).</summary>
public enum StepResult
{
    Succeeded = 1,
    Failed = 2,
    Cancelled = 3,
    Interrupted = 4,

    /// <summary>A step whose condition did not hold (a fallback that was not needed, or a step after one that did not succeed).</summary>
    Skipped = 5,
}
