namespace TeaFleet.Agent.Adapters;

/// <summary>A service's container as Docker reports it.</summary>
public sealed record ContainerState(
    string Service,
    string ContainerId,
    string Image,
    string Release,
    string State,
    string Health,
    DateTimeOffset? StartedAt)
{
    public bool IsReady => State == "running" && Health is "healthy" or "none";
}
