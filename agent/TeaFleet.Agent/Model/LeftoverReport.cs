namespace TeaFleet.Agent.Model;

/// <summary>The live schema against the schema recorded when the database was last at its current head.</summary>
public sealed record LeftoverReport
{
    public string Host { get; init; } = "";

    public IReadOnlyList<string> DatabaseHeads { get; init; } = [];

    /// <summary>Whether a reference was found and compared; when not, <see cref="Reason"/> says why (never a guess).</summary>
    public bool Compared { get; init; }

    public string Reason { get; init; } = "";

    public string ReferenceBackupId { get; init; } = "";

    public DateTimeOffset? ReferenceTakenAt { get; init; }

    /// <summary>The downgrade that ended at this head and that the reference precedes; empty when none was recorded.</summary>
    public string DowngradeOperationId { get; init; } = "";

    public IReadOnlyList<SchemaDifference> Differences { get; init; } = [];

    public string TargetCommit { get; init; } = "";

    public IReadOnlyList<string> UpgradeRevisions { get; init; } = [];
}
