namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>The forensic database backup of a bundle, by its catalogue id (the dump stays in the backup directory).</summary>
public sealed record ForensicBackup(string Id, string FileName, long SizeBytes, string Sha256, string MigrationHead);
