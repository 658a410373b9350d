namespace TeaFleet.Agent.Model;

/// <summary>
/// A run's hold on this host's environment: which run, who runs it, since when, until when (the agent's
/// clock). Released when its run let go; lapsed when <see cref="ExpiresAt"/> passed without a renewal.
/// </summary>
public sealed record Lease
{
    public string Environment { get; init; } = "";

    public string RunId { get; init; } = "";

    public string Holder { get; init; } = "";

    public DateTimeOffset AcquiredAt { get; init; }

    public DateTimeOffset RenewedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>Whether a run holds it at <paramref name="now"/>: not released and not expired.</summary>
    public bool IsLiveAt(DateTimeOffset now) => ReleasedAt is null && now < ExpiresAt;

    /// <summary>Whether an operation id belongs to this lease's run: RUN_ID.STEP.HOST, optionally with a further suffix.</summary>
    public bool Covers(string operationId) => BelongsTo(operationId, RunId);

    public static bool BelongsTo(string operationId, string runId) =>
        runId.Length > 0 && operationId.Length > runId.Length + 1 &&
        operationId.StartsWith(runId, StringComparison.Ordinal) && operationId[runId.Length] == '.';
}
