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
        set.Services.Where(s => switched.Contains(s.Name) && s.SwitchMode.Length > 0)
            .Select(s => (s.SwitchMode, ProxySwitched: switched.Contains(s.Proxy)) switch
            {
                ("rolling", true) => $"{s.Name}: recreate (an outage while it starts: its proxy {s.Proxy} is recreated in the same switch; switch {s.Name} alone, --services {s.Name}, for no gap)",
                ("rolling", false) => $"{s.Name}: rolling ({s.SwitchReason})",
                _ => $"{s.Name}: recreate (an outage while it starts: {s.SwitchReason})",
            })
            .ToList();

    public static readonly ServiceChanges None = new([], []);
}
