using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Runbook scenario 1, "502 Bad Gateway after deployment": the backend unhealthy, so only the backend role's
/// services back to the previous release (<c>git checkout HEAD~1; up -d --force-recreate backend</c>), the
/// frontend untouched. A Type 1: a target that needs a migration downgrade is refused for 'teafleet rollback'.
/// </summary>
public sealed class BadGatewayScenario : RoleRollbackScenario
{
    public override PlanKind Kind => PlanKind.BadGateway;

    public override string Scenario => Scenarios.BadGateway;

    public override string Role => ServiceRoles.BackendRole;

    public override string Title => "Scenario 1: 502 Bad Gateway after deployment (backend back to the previous release)";
}
