namespace TeaFleet.Agent.Model;

/// <summary>Why a backup was taken; lower-cased, the name operators read and write ("quick", "full"...).</summary>
public enum BackupKind
{
    Unspecified,
    Scheduled,
    Quick,
    Safety,
    Forensic,
    Full,

    /// <summary>A plain SQL dump made by the runbook's scripts (tea_backup_YYYYMMDD_HHMMSS.sql.gz).</summary>
    Legacy,
}
