namespace TeaFleet.Controller.Engine;

/// <summary>What the journal says about one step of a run.</summary>
public sealed record StepRecord(
    int Index,
    string Host,
    string Operation,
    string? OperationId,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    string? Result,
    string? Message,
    long LastSequence,
    IReadOnlyDictionary<string, string>? Data)
{
    public bool HasEnded => Finished is not null;
}
