using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// What the runbook's single-role scenarios share (1, 3, 4): a Type 1 of the services that play one role
/// (<see cref="ServiceRoles"/>) to the last good release, drill-gated and reported like a rollback, and
/// rehearsed on staging by the same scenario.
/// </summary>
public abstract class RoleRollbackScenario : RollbackProcedure
{
    public abstract override PlanKind Kind { get; }

    public override RollbackType Type => RollbackType.CodeOnly;

    /// <summary>The scenario's name on the command line ('teafleet scenario NAME ENV').</summary>
    public abstract string Scenario { get; }

    /// <summary>The role whose services it rolls back (<see cref="ServiceRoles.Names"/>).</summary>
    public abstract string Role { get; }

    protected override string TypeWords => "code only";

    public override string What(Plan plan) => $"scenario {Scenario} ({Role}: {plan.ServicesText}) to {PlanText.Short(plan.TargetCommit)}";

    public override string ReportType(Plan plan) => $"{Title}, Type 1 (code only)";

    public override string DrillCommand(FleetInventory inventory, string staging, Plan plan) =>
        $"teafleet -i {inventory.Path} scenario {Scenario} {staging} --to {plan.TargetCommit}";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"{Title} in {environment.Name}: {Role} services {plan.ServicesText} back to {PlanText.Short(plan.TargetCommit)} on {environment.Hosts.Count} host(s), the other services untouched. Go ahead?";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"read the {Role}'s last log lines (teafleet {inventoryOption} logs {plan.Environment} {plan.Services.FirstOrDefault() ?? Role} --host {host} --tail 50), re-run after fixing (teafleet {inventoryOption} resume {runId}), or escalate to a Type 2/3 rollback (ROLLBACK.md): teafleet {inventoryOption} rollback {plan.Environment}.";
}
