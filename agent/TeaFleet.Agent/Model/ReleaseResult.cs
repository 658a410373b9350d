namespace TeaFleet.Agent.Model;

public enum ReleaseResult
{
    Unspecified,
    InProgress,
    Succeeded,
    Failed,

    /// <summary>The agent stopped while the switch ran.</summary>
    Interrupted,
}
