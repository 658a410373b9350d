using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.VerifyBackup: sha256 and pg_restore --list; the verdict is recorded in the catalogue.</summary>
public sealed record VerifyBackupStep(string BackupId) : AgentStep
{
    protected override string OperationName => OperationKinds.DatabaseVerify;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("backup", BackupId)];
}
