using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>Backup maintenance: one backup verified again (runbook: check a backup before trusting it); the verdict goes into the catalogue.</summary>
public sealed class VerifyBackupProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Verify;

    public override string What(Plan plan) => "verification of a database backup";

    public static Plan Build(EnvironmentConfig environment, string backupId)
    {
        var host = environment.DatabaseHost;
        var step = new VerifyBackupStep(backupId)
        {
            Index = 1,
            Host = host.Name,
            Verification = "agent: the file's sha256 matches the catalogue and pg_restore --list reads its table of contents; the verdict is recorded",
            OnFailure = "stop; a backup that fails verification is never restored: choose another ('teafleet backups ENV') or take a new one",
        };
        return new Plan(PlanKind.Verify, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            $"verify backup {backupId} on {host.Name}");
    }
}
