namespace TeaFleet.Controller.Engine;

/// <summary>
/// One attempt of a step as the journal tells it: its number (1 = the first), its operation id, when it
/// started and ended, and how. A re-attach to the same operation is the same attempt.
/// </summary>
public sealed record StepAttempt(int Number, string? OperationId, DateTimeOffset Started, DateTimeOffset? Finished, StepResult? Result, string? Message)
{
    public bool HasEnded => Finished is not null;
}
