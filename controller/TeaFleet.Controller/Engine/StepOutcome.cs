namespace TeaFleet.Controller.Engine;

/// <summary>How a step ended: its result word, message, result data (journaled as <c>data</c>) and the last log lines of a failure.</summary>
public sealed record StepOutcome(StepResult Result, string Message, IReadOnlyDictionary<string, string> Data, IReadOnlyList<string> LogLines)
{
    public bool Succeeded => Result == StepResult.Succeeded;

    /// <summary>
    /// The agent had ended this operation before the call (asked for again by a resumed run): what came back
    /// is its old end, replayed, not something that happened now.
    /// </summary>
    public bool Replayed { get; init; }

    /// <summary>Whether a resumed run starts a new attempt after this outcome of a re-attached operation: an old failure replayed, or an interrupted operation.</summary>
    public bool CallsForNewAttempt => !Succeeded && Result != StepResult.Skipped && (Replayed || Result == StepResult.Interrupted);

    /// <summary>The result data, typed.</summary>
    public StepResults Results => new(Data);

    public static StepOutcome Success(string message, IReadOnlyDictionary<string, string>? data = null) =>
        new(StepResult.Succeeded, message, data ?? new Dictionary<string, string>(), []);

    public static StepOutcome Failure(string message, IReadOnlyList<string>? logLines = null, IReadOnlyDictionary<string, string>? data = null) =>
        new(StepResult.Failed, message, data ?? new Dictionary<string, string>(), logLines ?? []);
}
