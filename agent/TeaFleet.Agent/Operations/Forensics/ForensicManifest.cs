namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>
/// A bundle's manifest.json (format 1): who collected it and when, each file with its size and sha256 (paths
/// relative to the bundle), and the database backup taken with it, which stays in the backup catalogue.
/// </summary>
public sealed record ForensicManifest(
    int Format,
    string Host,
    string OperationId,
    string RunId,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ForensicFile> Files,
    ForensicBackup? DatabaseBackup);
