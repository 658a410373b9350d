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

    /// <summary>The steps that never recorded an end (started or not): what <c>resume</c> runs.</summary>
    public IReadOnlyList<PlanStep> UnfinishedSteps =>
        Plan.Steps.Where(s => !Steps.TryGetValue(s.Index, out var r) || !r.HasEnded || r.Result != StepResult.Succeeded).ToList();
}
