using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Engine;

/// <summary>Step phases: from the agent's event phases, and as the words the journal, --json and the screen show.</summary>
public static class OperationPhases
{
    public static StepPhase Of(OperationPhase phase) => phase switch
    {
        OperationPhase.Started => StepPhase.Started,
        OperationPhase.Progress => StepPhase.Progress,
        OperationPhase.Log => StepPhase.Log,
        OperationPhase.Succeeded => StepPhase.Succeeded,
        OperationPhase.Failed => StepPhase.Failed,
        OperationPhase.Cancelled => StepPhase.Cancelled,
        _ => StepPhase.Unspecified,
    };

    public static string Name(OperationPhase phase) => Of(phase).Word();

    public static string Word(this StepPhase phase) => phase switch
    {
        StepPhase.Started => "started",
        StepPhase.Progress => "progress",
        StepPhase.Log => "log",
        StepPhase.Succeeded => "succeeded",
        StepPhase.Failed => "failed",
        StepPhase.Cancelled => "cancelled",
        StepPhase.Reattach => "reattach",
        _ => "unspecified",
    };
}
