namespace TeaFleet.Agent.Model;

/// <summary>Where an operation is: running, or how it ended.</summary>
public enum OperationState
{
    Unspecified,
    Running,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>The agent stopped (crash, kill -9, reboot) while it ran.</summary>
    Interrupted,
}
