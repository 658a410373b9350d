using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// What a step executor gets: the run, the step, its operation id, where to report progress, and the
/// results of the run's steps that succeeded before it (read from the journal after a resume).
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
    IReadOnlyDictionary<int, StepResults> Earlier)
{
    /// <summary>The backup an earlier step of this run took (its journaled result), or "" when there is none: the agent then takes one itself.</summary>
    public string BackupIdOf(int? step) => step is { } index && Earlier.TryGetValue(index, out var results) ? results.BackupId ?? "" : "";
}
