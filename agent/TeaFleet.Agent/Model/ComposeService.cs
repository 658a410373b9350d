namespace TeaFleet.Agent.Model;

/// <summary>One service as the release's own compose files define it, read from <c>compose config</c>.</summary>
public sealed record ComposeService
{
    public required string Name { get; init; }

    /// <summary>The image reference after compose's interpolation; empty when the service names none.</summary>
    public string Image { get; init; } = "";

    /// <summary>Whether it has <c>build:</c> (compose can build its image).</summary>
    public bool HasBuild { get; init; }

    /// <summary>The restart policy as written (<c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure</c>); empty when not given.</summary>
    public string Restart { get; init; } = "";

    public IReadOnlyList<ServiceDependency> DependsOn { get; init; } = [];

    /// <summary>Whether the compose file gives it a health check (one that is not disabled).</summary>
    public bool HasHealthcheck { get; init; }

    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The network mode as compose resolved it (<c>host</c>, <c>bridge</c>...); empty when not given.</summary>
    public string NetworkMode { get; init; } = "";

    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyList<string> Entrypoint { get; init; } = [];
}
