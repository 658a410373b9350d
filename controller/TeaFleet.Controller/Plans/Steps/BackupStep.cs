using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.CreateBackup on the database host: space check, pg_dump, fsync, catalogue (full and forensic ones verified). Its result carries the backup's id.</summary>
/// <param name="Kind">quick, full, forensic or scheduled.</param>
/// <param name="PostRollback">The runbook checklist's "backup created post-rollback" (the report ticks it with the id).</param>
public sealed record BackupStep(BackupKind Kind, bool PostRollback = false) : AgentStep
{
    protected override string OperationName => OperationKinds.DatabaseBackup;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        PostRollback ? [Arg("kind", BackupKinds.Name(Kind)), Arg("post_rollback", "true")] : [Arg("kind", BackupKinds.Name(Kind))];
}
