using System.ComponentModel.DataAnnotations;

namespace TeaFleet.Agent.Options;

/// <summary>The agent's configuration: /etc/teafleet/agent.json (or --config FILE) plus TEAFLEET_ environment variables.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The host's name as the inventory knows it; also the name its certificate carries.</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$")]
    public string HostName { get; set; } = "";

    [Required]
    public ListenOptions Listen { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    /// <summary>Ledger, operation journal and logs live here; written so that kill -9 at any moment leaves them readable.</summary>
    [Required]
    public string StateDir { get; set; } = "/var/lib/teafleet";

    public string BackupDir { get; set; } = "/var/backups/tea";

    [Required]
    public DockerOptions Docker { get; set; } = new();

    [Required]
    public AppOptions App { get; set; } = new();
}
