using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Backup maintenance: a backup of the environment's database on its database host (runbook: backup_db.sh [--quick]).</summary>
public sealed class BackupProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Backup;

    public override string What(Plan plan) => "backup of the database";

    public static Plan Build(EnvironmentConfig environment, BackupKind kind)
    {
        var host = environment.DatabaseHost;
        var step = new BackupStep(kind)
        {
            Index = 1,
            Host = host.Name,
            Verification = "agent: free space checked first; pg_dump complete, fsynced, renamed into place, size and sha256 in the catalogue" + (kind == BackupKind.Quick ? "" : "; verified (sha256, pg_restore --list)"),
            OnFailure = "stop; nothing half-written is catalogued. Free space in the backup directory or check the database",
        };
        return new Plan(PlanKind.Backup, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            $"a {BackupKinds.Name(kind)} backup of the database on {host.Name}");
    }
}
