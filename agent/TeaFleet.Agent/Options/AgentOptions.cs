
namespace TeaFleet.Agent.Options;

/// <summary>The agent's configuration: /etc/teafleet/agent.json (or --config FILE) plus TEAFLEET_ environment variables.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The host's name as the inventory knows it; also the name its certificate carries.</summary>
    public string HostName { get; set; } = "";

    public ListenOptions Listen { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    /// <summary>Ledger, operation journal and logs live here; written so that kill -9 at any moment leaves them readable.</summary>
    public string StateDir { get; set; } = "/var/lib/teafleet";

    /// <summary>The database's backups and their catalogue (catalogue.jsonl); old runbook backups found here are listed too.</summary>
    public string BackupDir { get; set; } = "/var/backups/tea";

    public DatabaseOptions Database { get; set; } = new();

    public MigrationsOptions Migrations { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public DockerOptions Docker { get; set; } = new();

    public AppOptions App { get; set; } = new();

    public FirewallOptions Firewall { get; set; } = new();

    public MaintenanceOptions Maintenance { get; set; } = new();
}
