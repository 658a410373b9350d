namespace TeaFleet.Controller.Plans;

/// <summary>Every runbook procedure, found by a plan's kind and rollback type (so a journaled plan finds its procedure again).</summary>
public static class Procedures
{
    private static readonly IProcedure[] All =
    [
        new CodeOnlyRollback(),
        new CodeAndDatabaseRollback(),
        new FullSystemRollback(),
        new DeployProcedure(),
        new RestoreProcedure(),
        new MigrationRepairProcedure(),
        new LeftoverRepairProcedure(),
        new BackupProcedure(),
        new VerifyBackupProcedure(),
        new PruneBackupsProcedure(),
        new BlockTrafficProcedure(),
        new AllowTrafficProcedure(),
        new MaintenanceOnProcedure(),
        new MaintenanceOffProcedure(),
        new BadGatewayScenario(),
        new FrontendScenario(),
        new WorkerScenario(),
        new SecurityScenario(),
    ];

    public static IProcedure Of(PlanKind kind, RollbackType type) =>
        All.FirstOrDefault(p => p.Kind == kind && (kind != PlanKind.Rollback || p.Type == type))
            ?? All.First(p => p.Kind == kind);
}
