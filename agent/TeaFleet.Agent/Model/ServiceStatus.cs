namespace TeaFleet.Agent.Model;

/// <summary>
/// One service and its container ("missing" when it has none): an allowed one, or a container of the
/// project. <see cref="NotInRelease"/>: the checkout's release does not define it. <see cref="Release"/>: the
/// commit the container runs (<see cref="RunningRelease"/>), <see cref="ReleaseSource"/> where it was read,
/// <see cref="ReleaseTags"/> the checkout's tags that point at it.
/// </summary>
public sealed record ServiceStatus(
    string Name,
    string ContainerId,
    string Image,
    string Release,
    string State,
    string Health,
    DateTimeOffset? StartedAt,
    bool NotInRelease = false,
    string ReleaseSource = "",
    IReadOnlyList<string>? ReleaseTags = null)
{
    /// <summary>How often Docker restarted the container (0 without one).</summary>
    public long RestartCount { get; init; }
}
