namespace TeaFleet.Agent.Model;

/// <summary>The catalogue, newest first, with where it lives and the space left there (0 when the directory does not exist yet).</summary>
public sealed record BackupList(IReadOnlyList<Backup> Backups, string BackupDir, long FreeBytes);
