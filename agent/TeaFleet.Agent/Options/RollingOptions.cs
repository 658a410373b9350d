namespace TeaFleet.Agent.Options;

/// <summary>
/// A service that a switch hands over without a gap (docs/adr/0014-zero-downtime-type-1.md): a stand-in of
/// the target release on the second port takes the traffic while the service's own container is recreated on
/// its first port, through an upstream file the app's proxy includes. The app must allow it: the service's
/// port set by <see cref="PortVariable"/>, host networking, and a proxy (nginx) that includes
/// <see cref="UpstreamFile"/> inside its <c>upstream { }</c> block and reloads on SIGHUP.
/// </summary>
public sealed class RollingService
{
    /// <summary>The Compose service handed over (one of Agent:App:ReleaseServices), e.g. backend.</summary>
    public string Service { get; set; } = "";

    /// <summary>The environment variable that sets the port the service listens on, e.g. TEA_BACKEND_PORT.</summary>
    public string PortVariable { get; set; } = "";

    /// <summary>Its own port (the compose file's) and the stand-in's, e.g. [8000, 8001].</summary>
    public List<int> Ports { get; set; } = [];

    /// <summary>The Compose service of the app's proxy (nginx) that forwards to it; it gets SIGHUP after the upstream file changes.</summary>
    public string Proxy { get; set; } = "";

    /// <summary>The host file (absolute) the proxy includes in its upstream block; the agent writes one line: <c>server 127.0.0.1:PORT;</c>.</summary>
    public string UpstreamFile { get; set; } = "";

    /// <summary>The path the service answers 2xx on when it is ready, probed on 127.0.0.1 at each port.</summary>
    public string HealthPath { get; set; } = "/health";

    /// <summary>Extra seconds the stand-in keeps running after the proxy moved back and its old workers exited (a proxy whose processes cannot be seen gets 1 s before this).</summary>
    public int DrainSeconds { get; set; }

    public int Port => Ports.Count > 0 ? Ports[0] : 0;

    public int StandInPort => Ports.Count > 1 ? Ports[1] : 0;
}
