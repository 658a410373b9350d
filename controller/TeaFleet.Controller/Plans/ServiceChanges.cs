namespace TeaFleet.Controller.Plans;

/// <summary>
/// What a switch to a release changes in a host's service set: services removed (the running release has
/// them, the target does not) and created (the other way round); <see cref="Defined"/>: every service the
/// target defines there (null: not known), for the health URLs that belong to a service.
/// </summary>
public sealed record ServiceChanges(IReadOnlyList<string> Removes, IReadOnlyList<string> Creates, IReadOnlyCollection<string>? Defined = null)
{
    /// <summary>How the switch changes each service it keeps running ("backend: rolling (no gap: ...)", "frontend: recreate (outage while it starts: ...)"); empty when the agent does not say.</summary>
    public IReadOnlyList<string> Modes { get; init; } = [];

    /// <summary>
    /// Each switched service's mode as the agent reported it for the target, with the one rule only the whole
    /// switch can tell: a service whose proxy is recreated in the same switch is recreated too.
    /// </summary>
    public static IReadOnlyList<string> ModesOf(TeaFleet.Agent.V1.GetServiceSetResponse set, IReadOnlyCollection<string> switched) =>
        ModesOf(set, switched, []);

    /// <summary>
    /// The modes when the plan has stopped <paramref name="stopped"/> before the switch (a Type 2's traffic stop):
    /// a rolling service whose proxy is stopped then has no proxy to hand over behind, and is recreated.
    /// </summary>
    public static IReadOnlyList<string> ModesOf(TeaFleet.Agent.V1.GetServiceSetResponse set, IReadOnlyCollection<string> switched, IReadOnlyCollection<string> stopped) =>
        set.Services.Where(s => switched.Contains(s.Name) && s.SwitchMode.Length > 0)
            .Select(s => (s.SwitchMode, ProxySwitched: switched.Contains(s.Proxy), ProxyStopped: stopped.Contains(s.Proxy)) switch
            {
                ("rolling", true, _) => $"{s.Name}: recreate (an outage while it starts: its proxy {s.Proxy} is recreated in the same switch; switch {s.Name} alone, --services {s.Name}, for no gap)",
                ("rolling", false, true) => $"{s.Name}: recreate (its proxy {s.Proxy} is stopped by this plan before the switch: users get no answer then anyway)",
                ("rolling", false, false) => $"{s.Name}: rolling ({s.SwitchReason})",
                _ => $"{s.Name}: recreate (an outage while it starts: {s.SwitchReason})",
            })
            .ToList();

    /// <summary>The release's service set the modes were read from, and what the switch takes (to read the modes again, <see cref="WithStopped"/>).</summary>
    public (TeaFleet.Agent.V1.GetServiceSetResponse Set, IReadOnlyCollection<string> Switched)? Source { get; init; }

    /// <summary>These changes with the modes as they are when <paramref name="stopped"/> are down at the switch.</summary>
    public ServiceChanges WithStopped(IReadOnlyCollection<string> stopped) =>
        Source is { } source && stopped.Count > 0 ? this with { Modes = ModesOf(source.Set, source.Switched, stopped) } : this;

    /// <summary>
    /// The services with a container on the host that its release does not define (left by an older release or
    /// by hand): every switch removes them (the agent removes what the target does not define, never a data service).
    /// </summary>
    public static IReadOnlyList<string> Strays(IReadOnlyList<TeaFleet.Agent.V1.ServiceStatus> running) =>
        running.Where(s => s.NotInRelease && s.ContainerId.Length > 0).Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();

    public static readonly ServiceChanges None = new([], []);
}
