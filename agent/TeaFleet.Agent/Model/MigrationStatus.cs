namespace TeaFleet.Agent.Model;

/// <summary>The database's Alembic state against the live code (and, when asked, a target commit).</summary>
public sealed record MigrationStatus
{
    public string Host { get; init; } = "";

    public IReadOnlyList<string> DatabaseHeads { get; init; } = [];

    public string CodeCommit { get; init; } = "";

    public IReadOnlyList<string> CodeHeads { get; init; } = [];

    public MigrationState State { get; init; }

    public string Detail { get; init; } = "";

    public bool LastUpgradeFailed { get; init; }

    public string LastUpgradeOperationId { get; init; } = "";

    public string LastUpgradeMessage { get; init; } = "";

    public string TargetCommit { get; init; } = "";

    public IReadOnlyList<string> TargetHeads { get; init; } = [];

    /// <summary>-1 when not known.</summary>
    public int DowngradeSteps { get; init; } = -1;

    /// <summary>-1 when not known.</summary>
    public int UpgradeSteps { get; init; } = -1;

    public IReadOnlyList<string> DowngradeRevisions { get; init; } = [];

    public string Image { get; init; } = "";

    public bool ImagePresent { get; init; }

    public string Service { get; init; } = "";

    /// <summary>Given a target: every revision of its migration scripts.</summary>
    public IReadOnlyList<string> TargetRevisions { get; init; } = [];

    /// <summary>Given a target: the backup catalogue's release commits that the target's history contains.</summary>
    public IReadOnlyList<string> TargetHistoryCommits { get; init; } = [];

    public bool LastDowngradeFailed { get; init; }

    public string LastDowngradeOperationId { get; init; } = "";

    public string LastDowngradeMessage { get; init; } = "";

    /// <summary>The failed one was only rendered offline (nothing ran against the database).</summary>
    public bool LastDowngradeOffline { get; init; }

    public DateTimeOffset? LastDowngradeAt { get; init; }

    /// <summary>Agent:Migrations:RunOnDeploy: the controller's deploy runs the upgrade as a step of its own, with the target's scripts, before the switch.</summary>
    public bool RunOnDeploy { get; init; }

    /// <summary>The newest release that succeeded on this host (the ledger's); empty when none did.</summary>
    public string LastGoodCommit { get; init; } = "";

    /// <summary>That release's Alembic head(s) as the ledger recorded them (comma-separated); empty when not recorded.</summary>
    public string LastGoodHead { get; init; } = "";
}
