namespace TeaFleet.Controller.Engine;

/// <summary>What the journal says about one step of a run.</summary>
public sealed record StepRecord(
    int Index,
    string Host,
    string Operation,
    string? OperationId,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    StepResult? Result,
    string? Message,
    long LastSequence,
    IReadOnlyDictionary<string, string>? Data)
{
    public bool HasEnded => Finished is not null;

    /// <summary>The step's result data, typed (e.g. the backup id a backup step produced).</summary>
    public StepResults Results => Data is null ? StepResults.None : new StepResults(Data);
}
