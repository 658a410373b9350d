namespace TeaFleet.Controller.Inventory;

/// <summary>
/// The runbook's "monitor for 5-10 minutes" after a rollback ('monitor:' of an environment): how long the
/// controller watches, how often, and what counts as the rollback not holding.
/// </summary>
/// <param name="Window">The watch after the whole rollback; zero: no watch (the plan says so).</param>
/// <param name="Interval">Time between two rounds of health probes.</param>
/// <param name="HostWindow">The watch of one host after the gradual allow lets its users back, before the next host; zero: the host's health URLs once.</param>
/// <param name="ErrorLines">New error lines per host in a window that count as an error spike (more than this fails).</param>
/// <param name="HealthFailures">Failed probes in a row of one URL that fail the watch (one blip is reported, not failed).</param>
/// <param name="MemoryPercent">A container above this share of its memory limit makes "resource usage normal" not verified.</param>
/// <param name="AgentHealthPort">The agents' plain /healthz port, probed as the external monitors do; 0: not probed.</param>
public sealed record MonitorConfig(
    TimeSpan Window,
    TimeSpan Interval,
    TimeSpan HostWindow,
    int ErrorLines,
    int HealthFailures,
    int MemoryPercent,
    int AgentHealthPort)
{
    /// <summary>The runbook's upper bound (10 minutes), a probe round every 5 s, one minute per host in a gradual allow.</summary>
    public static MonitorConfig Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), 10, 2, 90, 7080);

    /// <summary>The agent's /healthz of <paramref name="host"/>, or null when not probed.</summary>
    public Uri? AgentHealthUrl(HostConfig host) =>
        AgentHealthPort > 0 ? new UriBuilder(Uri.UriSchemeHttp, host.Address.Host, AgentHealthPort, "/healthz").Uri : null;
}
