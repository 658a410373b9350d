namespace TeaFleet.Agent.Model;

public enum BackupFormat
{
    Unspecified,

    /// <summary>pg_dump --format=custom.</summary>
    Custom,

    /// <summary>Plain SQL, gzip-compressed (the runbook's old backups).</summary>
    PlainGzip,
}
