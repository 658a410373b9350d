namespace TeaFleet.Agent.Options;

/// <summary>
/// The app's maintenance page (runbook Type 2 option A): a host directory the app's nginx mounts
/// read-only and checks on every request (docs/agent.md "Maintenance page"). The agent only writes
/// files there; it runs no command and never reloads nginx. Empty Directory: no maintenance page on
/// this host (Enable and Disable answer FAILED_PRECONDITION).
/// </summary>
public sealed class MaintenanceOptions
{
    /// <summary>The host directory the app's nginx mounts (absolute), e.g. /var/lib/teafleet/maintenance.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The Compose service that serves the page (the app's nginx), one of Agent:App:Services; a plan keeps it running while it stops the others.</summary>
    public string ProxyService { get; set; } = "";

    /// <summary>An HTML file to show as the page (copied into the directory at Enable); empty: a plain built-in page.</summary>
    public string PageFile { get; set; } = "";

    public bool Configured => Directory.Length > 0;
}
