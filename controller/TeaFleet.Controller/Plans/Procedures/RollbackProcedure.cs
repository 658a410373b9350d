using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>What the runbook's three rollback types share: drill-gated, reported, and the escalation advice.</summary>
public abstract class RollbackProcedure : CodeSwitchProcedure
{
    public override PlanKind Kind => PlanKind.Rollback;

    public override bool NeedsDrill => true;

    public override bool WritesReport => true;

    public override string ReportType(Plan plan) => $"Type {(int)Type} ({TypeWords})";

    /// <summary>"code only", "code + database", "full system".</summary>
    protected abstract string TypeWords { get; }

    public override string DataLoss(Plan plan) => $"- Data loss: none expected ({ReportType(plan)} changes no data)";

    public override string DrillCommand(FleetInventory inventory, string staging, Plan plan) =>
        $"teafleet -i {inventory.Path} rollback {staging} --to {plan.TargetCommit}{(Type == RollbackType.FullSystem ? " --type 3" : "")}{(plan.Services.Count > 0 ? " --services " + string.Join(",", plan.Services.Order(StringComparer.Ordinal)) : "")}";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"check 'teafleet {inventoryOption} logs {plan.Environment} SERVICE --host {host}', re-run after fixing (teafleet {inventoryOption} resume {runId}), or escalate to a Type 2/3 rollback (ROLLBACK.md).";
}
