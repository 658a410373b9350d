using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>The reads planning needs from the agents (a seam so planning logic can be tested on its own).</summary>
public interface IFleetReader
{
    Task<HostLedger> GetLedgerAsync(HostConfig host, CancellationToken cancellationToken);

    /// <summary>Resolves a tag, branch or commit on the host; null when the host does not have it.</summary>
    Task<ResolvedRef?> ResolveAsync(HostConfig host, string reference, CancellationToken cancellationToken);

    /// <summary>The services the host's agent allows TeaFleet to touch.</summary>
    Task<IReadOnlyList<string>> GetServicesAsync(HostConfig host, CancellationToken cancellationToken);

    /// <summary>The backup catalogue of the host that runs the database, newest first.</summary>
    Task<IReadOnlyList<TeaFleet.Agent.V1.Backup>> ListBackupsAsync(HostConfig host, CancellationToken cancellationToken);

    /// <summary>The Alembic state of the host that migrates (its database and live code), with the steps to a target commit; null when the host runs no migrations.</summary>
    Task<TeaFleet.Agent.V1.MigrationStatus?> GetMigrationStatusAsync(HostConfig host, string? target, CancellationToken cancellationToken);

    /// <summary>
    /// The services a release's own compose files define on the host, and what a switch to it would do
    /// (empty commit: the checkout's); null when the host's agent predates the read (nothing is checked then).
    /// </summary>
    Task<TeaFleet.Agent.V1.GetServiceSetResponse?> GetServiceSetAsync(HostConfig host, string commit, CancellationToken cancellationToken);

    /// <summary>The host's services and their containers as the agent sees them (Services.List): what each one runs now (<c>release</c>).</summary>
    Task<IReadOnlyList<TeaFleet.Agent.V1.ServiceStatus>> GetRunningServicesAsync(HostConfig host, CancellationToken cancellationToken);

    /// <summary>The commit the host's app checkout is at (Source.GetStatus); "" when the agent cannot say.</summary>
    Task<string> GetCheckoutAsync(HostConfig host, CancellationToken cancellationToken);

    /// <summary>The newest commit of the host's checkout made at or before a time (the runbook's "git log by time"); null when none.</summary>
    Task<ResolvedRef?> CommitAtAsync(HostConfig host, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// What a downgrade left behind on the database host: the live schema against a backup's at the same
    /// head, with the leftovers a target's upgrade would collide with; null when the host runs no migrations
    /// or its agent predates the read. (A default, so readers written before it still compile.)
    /// </summary>
    Task<TeaFleet.Agent.V1.LeftoversResponse?> GetLeftoversAsync(HostConfig host, string? target, CancellationToken cancellationToken) =>
        Task.FromResult<TeaFleet.Agent.V1.LeftoversResponse?>(null);

    /// <summary>
    /// The host's firewall (Firewall.Status): ufw active or not, the public ports and which TeaFleet blocked;
    /// null when the host's agent predates the firewall. (A default, so readers written before it still compile.)
    /// </summary>
    Task<TeaFleet.Agent.V1.FirewallStatusResponse?> GetFirewallAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<TeaFleet.Agent.V1.FirewallStatusResponse?>(null);

    /// <summary>
    /// The host's maintenance page (Maintenance.Status): configured or not, on or off, the proxy service;
    /// null when the host's agent predates it. (A default, so readers written before it still compile.)
    /// </summary>
    Task<TeaFleet.Agent.V1.MaintenanceStatusResponse?> GetMaintenanceAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<TeaFleet.Agent.V1.MaintenanceStatusResponse?>(null);

    /// <summary>
    /// A service's log lines logged since <paramref name="since"/> (at most <paramref name="tail"/>, the last ones);
    /// empty when the host's agent cannot say. (A default, so readers written before it still compile.)
    /// </summary>
    Task<IReadOnlyList<string>> GetLogsSinceAsync(HostConfig host, string service, DateTimeOffset since, int tail, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Each running container's resource use now (Services.Stats); null when the host's agent predates it.</summary>
    Task<IReadOnlyList<TeaFleet.Agent.V1.ServiceStats>?> GetStatsAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TeaFleet.Agent.V1.ServiceStats>?>(null);

    /// <summary>The host's recent operations, newest first (Operations.List); empty when the agent cannot say.</summary>
    Task<IReadOnlyList<TeaFleet.Agent.V1.OperationInfo>> ListOperationsAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TeaFleet.Agent.V1.OperationInfo>>([]);

    /// <summary>The host's job queues (Queue.Status); null when the host's agent predates the queue.</summary>
    Task<TeaFleet.Agent.V1.QueueStatusResponse?> GetQueueStatusAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<TeaFleet.Agent.V1.QueueStatusResponse?>(null);

    /// <summary>
    /// The features the host's agent announces (Host.GetInfo: "firewall", "forensics"...); null when not known.
    /// (A default, so readers written before it still compile.)
    /// </summary>
    Task<IReadOnlyList<string>?> GetFeaturesAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>One GET of a health URL with a short timeout, from the controller; null when not checked.</summary>
    Task<HealthAnswer?> ProbeHealthAsync(Uri url, CancellationToken cancellationToken) =>
        Task.FromResult<HealthAnswer?>(null);
}
