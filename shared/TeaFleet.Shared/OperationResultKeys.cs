namespace TeaFleet.Shared;

/// <summary>
/// The keys of an operation's result data (the final event's <c>data</c> map), as the agent writes
/// them and the controller reads them: one spelling for both sides.
/// </summary>
public static class OperationResultKeys
{
    /// <summary>The catalogue id of the backup an operation took (a backup, or a migration's fresh backup).</summary>
    public const string BackupId = "backup_id";

    /// <summary>The step of the operation that failed (e.g. "checkout", "build", "verify").</summary>
    public const string FailedStep = "failed_step";

    /// <summary>The database's Alembic head after the operation, comma-separated.</summary>
    public const string MigrationHead = "migration_head";

    /// <summary>The tables the database check counted ("name=rows,...").</summary>
    public const string Tables = "tables";

    /// <summary>The total number of rows the database check counted.</summary>
    public const string Rows = "rows";

    /// <summary>The safety backup a restore took before emptying the database.</summary>
    public const string SafetyBackupId = "safety_backup_id";

    /// <summary>The backup a restore put back.</summary>
    public const string RestoredBackupId = "restored_backup_id";

    /// <summary>The backups a prune deleted (or would delete), comma-separated.</summary>
    public const string Deleted = "deleted";

    /// <summary>The PostgreSQL server version the database check read.</summary>
    public const string ServerVersion = "server_version";

    /// <summary>A failed downgrade: "false" when alembic_version reads as before (the database is unchanged), "true" when it moved.</summary>
    public const string Changed = "changed";

    /// <summary>The database's Alembic revision read after a failed downgrade (comma-separated).</summary>
    public const string Revision = "revision";

    /// <summary>A firewall operation: the ports it denied (block) or opened again (allow), comma-separated ("80,443").</summary>
    public const string Ports = "ports";

    /// <summary>A firewall allow: the ports TeaFleet had not blocked, left as they were (comma-separated).</summary>
    public const string Untouched = "untouched";

    /// <summary>A queue flush: the number of Redis keys it removed.</summary>
    public const string KeysRemoved = "keys_removed";

    /// <summary>A queue flush: each flushed queue's length read just before the removal ("name=length,...").</summary>
    public const string QueueLengthsBefore = "queue_lengths_before";

    /// <summary>A queue flush: the names of the queues it flushed, comma-separated.</summary>
    public const string Queues = "queues";

    /// <summary>A queue flush: the Redis database number the queues live in.</summary>
    public const string RedisDatabase = "redis_database";

    /// <summary>A forensic collect: the bundle's directory on the host.</summary>
    public const string BundlePath = "bundle_path";

    /// <summary>A forensic collect: the number of files in the bundle (the manifest not counted).</summary>
    public const string FileCount = "file_count";

    /// <summary>A forensic collect: the sha256 of the bundle's manifest.json.</summary>
    public const string ManifestSha256 = "manifest_sha256";
}
