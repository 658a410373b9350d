using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Engine;

/// <summary>The words for an agent event's phase, as the journal, --json and the screen show them.</summary>
public static class OperationPhases
{
    public static string Name(OperationPhase phase) => phase switch
    {
        OperationPhase.Started => "started",
        OperationPhase.Progress => "progress",
        OperationPhase.Log => "log",
        OperationPhase.Succeeded => "succeeded",
        OperationPhase.Failed => "failed",
        OperationPhase.Cancelled => "cancelled",
        _ => "unspecified",
    };
}
