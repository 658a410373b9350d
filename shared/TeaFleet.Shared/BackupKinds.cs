using TeaFleet.Agent.V1;

namespace TeaFleet.Shared;

/// <summary>Backup kinds as operators write and read them: "quick", "full", "safety"...</summary>
public static class BackupKinds
{
    public static string Name(BackupKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>A kind an operator may ask for by name (no name: quick); null for any other word.</summary>
    public static BackupKind? Parse(string? name) => name switch
    {
        null or "" or "quick" => BackupKind.Quick,
        "full" => BackupKind.Full,
        "forensic" => BackupKind.Forensic,
        "scheduled" => BackupKind.Scheduled,
        _ => null,
    };
}
