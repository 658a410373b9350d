namespace TeaFleet.Agent.Model;

/// <summary>One backup of the host's database, as the catalogue records it.</summary>
public sealed record Backup
{
    public string Id { get; init; } = "";

    public DateTimeOffset? TakenAt { get; init; }

    public BackupKind Kind { get; init; }

    public BackupFormat Format { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>Hex sha256 of the file as written; empty for old runbook backups until verified.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The release live on the host when it was taken; empty when unknown.</summary>
    public string ReleaseCommit { get; init; } = "";

    /// <summary>alembic_version at the time of the backup; empty when unknown.</summary>
    public string MigrationHead { get; init; } = "";

    public VerifyState VerifyState { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    public string VerifyMessage { get; init; } = "";

    /// <summary>The file's name relative to the backup directory.</summary>
    public string FileName { get; init; } = "";

    public string RequestedBy { get; init; } = "";

    public string Reason { get; init; } = "";

    public string OperationId { get; init; } = "";

    public long DatabaseSizeBytes { get; init; }
}
