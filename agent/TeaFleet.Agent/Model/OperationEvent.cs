namespace TeaFleet.Agent.Model;

/// <summary>One event of an operation: sequence numbers start at 1 without gaps; the last one is final.</summary>
public sealed record OperationEvent
{
    public string OperationId { get; init; } = "";

    public long Sequence { get; init; }

    public DateTimeOffset? Time { get; init; }

    /// <summary>The step's name; empty for the operation itself.</summary>
    public string Step { get; init; } = "";

    public OperationPhase Phase { get; init; }

    /// <summary>0-100 when known, else -1.</summary>
    public double Percent { get; init; } = -1;

    public long Bytes { get; init; }

    public string Message { get; init; } = "";

    public string Host { get; init; } = "";

    public bool Final { get; init; }

    /// <summary>Results on the final event ("release_id", "backup_id"...).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
