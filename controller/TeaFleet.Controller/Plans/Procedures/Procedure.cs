using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>The defaults most procedures share: database-only, no drill, no report; asked about by their note.</summary>
public abstract class Procedure : IProcedure
{
    public abstract PlanKind Kind { get; }

    public virtual RollbackType Type => RollbackType.None;

    public virtual bool SwitchesCode => false;

    public virtual bool NeedsDrill => false;

    public virtual bool WritesReport => false;

    public abstract string What(Plan plan);

    public virtual string ReportType(Plan plan) => What(plan);

    public virtual string DrillCommand(FleetInventory inventory, string staging, Plan plan) =>
        $"teafleet -i {inventory.Path} rollback {staging} --to {plan.TargetCommit}";

    public virtual string DataLoss(Plan plan) => "- Data loss: none expected (deploy changes no data)";

    public virtual string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"check 'teafleet {inventoryOption} logs {plan.Environment} SERVICE --host {host}', then roll back with 'teafleet {inventoryOption} rollback {plan.Environment}' or fix and deploy again.";

    public virtual string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, Engine.StepRecord> steps, string runId) =>
        NextMove(inventoryOption, plan, failed?.Host ?? "HOST", runId);

    public virtual string Confirmation(EnvironmentConfig environment, Plan plan) => $"{plan.Note ?? What(plan)} in {environment.Name}. Go ahead?";
}
