namespace TeaFleet.Agent.Model;

/// <summary>What an operation is and where it stands.</summary>
public sealed record OperationInfo
{
    public string OperationId { get; init; } = "";

    /// <summary>"services.recreate", "database.backup"...</summary>
    public string Kind { get; init; } = "";

    public OperationState State { get; init; }

    public string RequestedBy { get; init; } = "";

    public string RunId { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public long LastSequence { get; init; }

    /// <summary>The failure message, or a summary of the end.</summary>
    public string Message { get; init; } = "";

    /// <summary>A short text of the arguments ("backend,frontend @ 3f2a1c9").</summary>
    public string Summary { get; init; } = "";
}
