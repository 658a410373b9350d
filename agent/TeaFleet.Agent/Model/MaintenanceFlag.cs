namespace TeaFleet.Agent.Model;

/// <summary>What the maintenance flag file says (its content; nginx only checks that it exists).</summary>
public sealed record MaintenanceFlag
{
    public DateTimeOffset Since { get; init; }

    public string Reason { get; init; } = "";

    /// <summary>The Enable operation; empty for a flag made by hand.</summary>
    public string OperationId { get; init; } = "";

    public string By { get; init; } = "";
}
