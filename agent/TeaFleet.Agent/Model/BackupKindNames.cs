namespace TeaFleet.Agent.Model;

/// <summary>Backup kinds as operators write and read them: "quick", "full", "safety"...</summary>
public static class BackupKindNames
{
    public static string Name(this BackupKind kind) => kind.ToString().ToLowerInvariant();
}
