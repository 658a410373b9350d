namespace TeaFleet.Controller.Engine;

/// <summary>What a progress event of a running step is; journaled and printed as the lower-case word ("progress", "log", ...).</summary>
public enum StepPhase
{
    Unspecified = 0,
    Started = 1,
    Progress = 2,
    Log = 3,
    Succeeded = 4,
    Failed = 5,
    Cancelled = 6,

    /// <summary>The controller lost the agent's stream and re-attaches by operation id.</summary>
    Reattach = 7,
}
