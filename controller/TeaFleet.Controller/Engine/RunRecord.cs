using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>A run as read back from its journal.</summary>
public sealed record RunRecord(
    string RunId,
    string Path,
    Plan Plan,
    string Who,
    RunFlags Flags,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    StepResult? Result,
    string? Error,
    IReadOnlyDictionary<int, StepRecord> Steps,
    IReadOnlyList<JournalEntry> Entries,
    bool TornLastLine)
{
    public string Environment => Plan.Environment;

    public bool HasEnded => Finished is not null;

    /// <summary>What the hosts had down once the run (or its last resume) ended, as journaled; null: not read.</summary>
    public IReadOnlyList<string>? Down { get; init; }

    /// <summary>The checklist items people confirmed after the run ('teafleet confirm'), in the journal's order; a later one of the same item wins.</summary>
    public IReadOnlyList<Confirmation> Confirmations { get; init; } = [];

    /// <summary>
    /// The forward steps whose work still stands: succeeded, and not undone since by a way-back step
    /// (a service stop that a way-back start reversed must run again on resume). Way-back steps are never
    /// done: they run again if the resumed run fails.
    /// </summary>
    public IReadOnlyList<StepRecord> DoneSteps =>
        Plan.Steps.Where(s => s.Undoes is null && Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded && !UndoneSince(s.Index, r))
            .Select(s => Steps[s.Index]).ToList();

    /// <summary>The steps that are not done (never ended, failed, or undone since): what <c>resume</c> runs.</summary>
    public IReadOnlyList<PlanStep> UnfinishedSteps
    {
        get
        {
            var done = DoneSteps.Select(s => s.Index).ToHashSet();
            return Plan.Steps.Where(s => s.Undoes is null && !done.Contains(s.Index)).ToList();
        }
    }

    private bool UndoneSince(int index, StepRecord record) =>
        Plan.Steps.Any(w => w.Undoes == index && Steps.TryGetValue(w.Index, out var back) && back.Result == StepResult.Succeeded && back.Finished >= record.Finished);
}
