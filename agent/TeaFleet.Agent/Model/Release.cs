namespace TeaFleet.Agent.Model;

/// <summary>One switch of services to a release, as the ledger records it.</summary>
public sealed record Release
{
    /// <summary>Increasing per host: 1, 2, 3...</summary>
    public long Id { get; init; }

    public string Commit { get; init; } = "";

    /// <summary>"deploy" or "rollback".</summary>
    public string Kind { get; init; } = "";

    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Service → image reference, for the switched services.</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();

    public string RequestedBy { get; init; } = "";

    public string Reason { get; init; } = "";

    public string OperationId { get; init; } = "";

    public string RunId { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public ReleaseResult Result { get; init; }

    public string Message { get; init; } = "";

    /// <summary>The commit the checkout was at before the switch.</summary>
    public string PreviousCommit { get; init; } = "";

    /// <summary>Whether images were built (false: kept images were reused).</summary>
    public bool Built { get; init; }

    /// <summary>The release code's Alembic head(s), comma-separated; empty when unknown.</summary>
    public string MigrationHead { get; init; } = "";

    /// <summary>The one-shot that runs the migrations at this release (from its compose files); empty when none does or it is not known.</summary>
    /// <remarks>
    /// Fields added after format version 2 normalise a missing value: the source-generated reader sets
    /// every init-only property, so a line written before the field existed would otherwise read null.
    /// </remarks>
    public string MigrationService { get; init => field = value ?? ""; } = "";

    /// <summary>Services the switch removed because the release does not define them.</summary>
    public IReadOnlyList<string> Removed { get; init => field = value ?? []; } = [];
}
