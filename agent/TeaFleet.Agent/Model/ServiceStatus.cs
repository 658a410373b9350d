namespace TeaFleet.Agent.Model;

/// <summary>One allowed service and its container ("missing" when it has none).</summary>
public sealed record ServiceStatus(
    string Name,
    string ContainerId,
    string Image,
    string Release,
    string State,
    string Health,
    DateTimeOffset? StartedAt);
