using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Runbook scenario 4, "frontend rendering issues" (frontend only, backend working): the frontend role's
/// services rebuilt and recreated on the previous release (<c>git checkout HEAD~1; build frontend; up -d
/// frontend</c>), the backend untouched.
/// </summary>
public sealed class FrontendScenario : RoleRollbackScenario
{
    public override PlanKind Kind => PlanKind.FrontendRollback;

    public override string Scenario => Scenarios.Frontend;

    public override string Role => ServiceRoles.FrontendRole;

    public override string Title => "Scenario 4: frontend rendering issues (frontend back to the previous release)";
}
