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
    /// <summary>How often Docker restarted this container (its restart policy after an exit): a crash loop shows here.</summary>
    public long RestartCount { get; init; }

    public bool IsReady => State == "running" && Health is "healthy" or "none";
}
