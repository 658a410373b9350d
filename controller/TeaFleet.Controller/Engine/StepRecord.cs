namespace TeaFleet.Controller.Engine;

/// <summary>
/// What the journal says about one step of a run: its latest state (the last attempt's start and end, or a
/// skip), and every attempt that reached an executor, oldest first.
/// </summary>
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

    /// <summary>The step's attempts, oldest first; empty for a step that was only ever skipped.</summary>
    public IReadOnlyList<StepAttempt> Attempts { get; init; } = [];

    /// <summary>The last attempt, or null when the step never started.</summary>
    public StepAttempt? LastAttempt => Attempts.Count > 0 ? Attempts[^1] : null;

    /// <summary>The step's result data, typed (e.g. the backup id a backup step produced).</summary>
    public StepResults Results => Data is null ? StepResults.None : new StepResults(Data);
}
