namespace TeaFleet.Agent.Model;

/// <summary>What an operation event says about its step (or, with no step, the operation).</summary>
public enum OperationPhase
{
    Unspecified,
    Started,
    Progress,
    Log,
    Succeeded,
    Failed,
    Cancelled,
}
