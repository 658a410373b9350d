using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// What a step executor gets: the run, the step, its operation id, where to report progress, the
/// results of the run's steps that succeeded before it (read from the journal after a resume), the
/// attempt number, and whether this call re-attaches to an attempt a stopped controller left without an
/// end (the executor then says whether the agent's answer is a replay of an old end).
/// </summary>
public sealed record StepContext(
    FleetInventory Inventory,
    string RunId,
    Plan Plan,
    PlanStep Step,
    string? OperationId,
    string RequestedBy,
    string Reason,
    Action<StepProgress> Report,
    IReadOnlyDictionary<int, StepResults> Earlier,
    int Attempt = 1,
    bool Reattach = false)
{
    /// <summary>The backup an earlier step of this run took (its journaled result), or "" when there is none: the agent then takes one itself.</summary>
    public string BackupIdOf(int? step) => step is { } index && Earlier.TryGetValue(index, out var results) ? results.BackupId ?? "" : "";
}
