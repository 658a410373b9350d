namespace TeaFleet.Controller.Engine;

/// <summary>
/// One attempt of a step as the journal tells it: its number (1 = the first), its operation id, when it
/// started and ended, and how. A re-attach to the same operation is the same attempt. <paramref name="Unconfirmed"/>:
/// the controller ended it without the agent's final event, so the operation's real end is unknown.
/// </summary>
public sealed record StepAttempt(int Number, string? OperationId, DateTimeOffset Started, DateTimeOffset? Finished, StepResult? Result, string? Message, bool Unconfirmed = false)
{
    public bool HasEnded => Finished is not null;
}
