using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>What a step executor gets: the run, the step, its operation id and where to report progress.</summary>
public sealed record StepContext(
    FleetInventory Inventory,
    string RunId,
    Plan Plan,
    PlanStep Step,
    string? OperationId,
    string RequestedBy,
    string Reason,
    Action<StepProgress> Report);
