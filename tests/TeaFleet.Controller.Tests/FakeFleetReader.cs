using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>A hand-written stand-in for the planning reads (pure planning logic only; the fleet tests use real agents).</summary>
public sealed class FakeFleetReader : IFleetReader, IFleetReaderFactory
{
    public Dictionary<string, List<Release>> Ledgers { get; } = [];

    public Dictionary<string, string> Refs { get; } = [];

    public List<string> Services { get; } = ["backend", "worker", "frontend"];

    public Dictionary<string, List<Backup>> Backups { get; } = [];

    /// <summary>The migration state per host (null: the host runs no migrations).</summary>
    public Dictionary<string, MigrationStatus> Migrations { get; } = [];

    /// <summary>Each commit's service set, as every host's agent reads it (missing: an agent that predates the read).</summary>
    public Dictionary<string, GetServiceSetResponse> ServiceSets { get; } = [];

    public Task<GetServiceSetResponse?> GetServiceSetAsync(HostConfig host, string commit, CancellationToken cancellationToken) =>
        Task.FromResult(ServiceSets.TryGetValue(commit, out var set) ? set : null);

    /// <summary>Commits by time, for "git log by time" (newest at or before the time wins).</summary>
    public List<(DateTimeOffset Time, string Commit)> Commits { get; } = [];

    /// <summary>What a downgrade left behind, per host (missing: the host cannot tell); the targets each read was asked with.</summary>
    public Dictionary<string, LeftoversResponse> Leftovers { get; } = [];

    public List<string?> LeftoverTargets { get; } = [];

    /// <summary>Each host's firewall (missing: an agent from before the firewall).</summary>
    public Dictionary<string, FirewallStatusResponse> Firewalls { get; } = [];

    /// <summary>Per host, what Maintenance.Status answers; a host left out answers like an agent from before the page (null).</summary>
    public Dictionary<string, MaintenanceStatusResponse> Maintenance { get; } = [];

    public Task<MaintenanceStatusResponse?> GetMaintenanceAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult(Maintenance.TryGetValue(host.Name, out var maintenance) ? maintenance : null);

    public Task<FirewallStatusResponse?> GetFirewallAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult(Firewalls.TryGetValue(host.Name, out var firewall) ? firewall : null);

    public Task<LeftoversResponse?> GetLeftoversAsync(HostConfig host, string? target, CancellationToken cancellationToken)
    {
        LeftoverTargets.Add(target);
        return Task.FromResult(Leftovers.TryGetValue(host.Name, out var leftovers) ? leftovers : null);
    }
    /// <summary>The database host's state asked with a given target commit (wins over <see cref="Migrations"/>).</summary>
    public Dictionary<string, MigrationStatus> MigrationsByTarget { get; } = [];

    /// <summary>Hosts whose agent answers Migrations.Status with an error (a database it cannot read).</summary>
    public HashSet<string> MigrationsFail { get; } = [];

    public Task<MigrationStatus?> GetMigrationStatusAsync(HostConfig host, string? target, CancellationToken cancellationToken) =>
        MigrationsFail.Contains(host.Name)
            ? throw FleetException.Failed($"{host.Name}: the database cannot be read")
            : Task.FromResult(target is not null && MigrationsByTarget.TryGetValue(target, out var byTarget) ? byTarget
                : Migrations.TryGetValue(host.Name, out var status) ? status : null);

    public Task<ResolvedRef?> CommitAtAsync(HostConfig host, DateTimeOffset time, CancellationToken cancellationToken) =>
        Task.FromResult(Commits.Where(c => c.Time <= time).OrderByDescending(c => c.Time).Select(c => new ResolvedRef(host.Name, "", c.Commit, [])).FirstOrDefault());

    public Task<IReadOnlyList<Backup>> ListBackupsAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Backup>>(Backups.TryGetValue(host.Name, out var list) ? list : []);

    public IFleetReader Create(AgentPool agents) => this;

    /// <summary>The hosts' lease calls: every host grants unless a test says otherwise.</summary>
    public FakeLeaseCalls LeaseCalls { get; } = new();

    public ILeaseCalls Leases(AgentPool agents) => LeaseCalls;

    /// <summary>Gives every named host the same history: each (commit, kind) succeeded in order.</summary>
    public FakeFleetReader WithHistory(IEnumerable<string> hosts, params (string Commit, string Kind, string Previous)[] history)
    {
        foreach (var host in hosts)
        {
            var list = new List<Release>();
            var id = 0;
            foreach (var (commit, kind, previous) in history)
            {
                list.Insert(0, new Release { Id = ++id, Commit = commit, Kind = kind, PreviousCommit = previous, Result = ReleaseResult.Succeeded });
            }

            Ledgers[host] = list;
        }

        return this;
    }

    public Task<HostLedger> GetLedgerAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var releases = Ledgers.TryGetValue(host.Name, out var list) ? list : [];
        var current = releases.FirstOrDefault(r => r.Result == ReleaseResult.Succeeded)?.Commit ?? "";
        return Task.FromResult(new HostLedger(host.Name, releases, current));
    }

    /// <summary>
    /// What each host's containers run (Services.List). A host missing here runs its ledger's newest
    /// succeeded commit in every service of <see cref="Services"/>, all running.
    /// </summary>
    public Dictionary<string, List<ServiceStatus>> Running { get; } = [];

    /// <summary>Sets what a host's services run: (service, commit, state).</summary>
    public FakeFleetReader WithRunning(string host, params (string Service, string Commit, string State)[] services)
    {
        Running[host] = services.Select(s => new ServiceStatus { Name = s.Service, ContainerId = s.State == "missing" ? "" : "c-" + s.Service, Release = s.Commit, State = s.State }).ToList();
        return this;
    }

    /// <summary>Hosts whose agent cannot be reached (every Services.List read throws, as the real pool does).</summary>
    public HashSet<string> UnreachableHosts { get; } = [];

    /// <summary>Each "host/service" log tail (missing: no lines).</summary>
    public Dictionary<string, List<string>> LogTails { get; } = [];

    /// <summary>Each host's operations, newest first.</summary>
    public Dictionary<string, List<OperationInfo>> Operations { get; } = [];

    /// <summary>Each host's queue status (missing: an agent from before the queue).</summary>
    public Dictionary<string, QueueStatusResponse> Queues { get; } = [];

    /// <summary>The features each host's agent announces; a host left out: not known (null).</summary>
    public Dictionary<string, List<string>> Features { get; } = [];

    public Task<IReadOnlyList<string>?> GetFeaturesAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(Features.TryGetValue(host.Name, out var features) ? features : null);

    /// <summary>What each health URL answers (missing: not checked).</summary>
    public Dictionary<Uri, (bool Ok, string Text)> HealthAnswers { get; } = [];

    /// <summary>Log lines since a time: the tails as set (the fake has no clock of its own; a test sets what is new).</summary>
    public Task<IReadOnlyList<string>> GetLogsSinceAsync(HostConfig host, string service, DateTimeOffset since, int tail, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(LogTails.TryGetValue($"{host.Name}/{service}", out var lines) ? lines.TakeLast(tail).ToList() : []);

    /// <summary>Each host's container stats (missing: an agent from before Services.Stats).</summary>
    public Dictionary<string, List<ServiceStats>> Stats { get; } = [];

    public Task<IReadOnlyList<ServiceStats>?> GetStatsAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceStats>?>(Stats.TryGetValue(host.Name, out var stats) ? stats : null);

    public Task<IReadOnlyList<OperationInfo>> ListOperationsAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OperationInfo>>(Operations.TryGetValue(host.Name, out var list) ? list : []);

    public Task<QueueStatusResponse?> GetQueueStatusAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult(Queues.TryGetValue(host.Name, out var queue) ? queue : null);

    public Task<HealthAnswer?> ProbeHealthAsync(Uri url, CancellationToken cancellationToken) =>
        Task.FromResult(HealthAnswers.TryGetValue(url, out var answer) ? new HealthAnswer(url, answer.Ok, answer.Text) : null);

    public async Task<IReadOnlyList<ServiceStatus>> GetRunningServicesAsync(HostConfig host, CancellationToken cancellationToken)
    {
        if (UnreachableHosts.Contains(host.Name))
        {
            throw new AgentUnreachableException(host, "connection refused");
        }

        if (Running.TryGetValue(host.Name, out var list))
        {
            return list;
        }

        var current = (await GetLedgerAsync(host, cancellationToken)).CurrentCommit;
        return Services.Select(s => new ServiceStatus { Name = s, ContainerId = current.Length > 0 ? "c-" + s : "", Release = current, State = current.Length > 0 ? "running" : "missing" }).ToList();
    }

    /// <summary>Each host's checkout commit; a host missing here has its checkout at what its services run (no disagreement).</summary>
    public Dictionary<string, string> Checkouts { get; } = [];

    public Task<string> GetCheckoutAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult(Checkouts.GetValueOrDefault(host.Name, ""));

    public Task<ResolvedRef?> ResolveAsync(HostConfig host, string reference, CancellationToken cancellationToken) =>
        Task.FromResult(Refs.TryGetValue(reference, out var commit) ? new ResolvedRef(host.Name, reference, commit, []) : null);

    public Task<IReadOnlyList<string>> GetServicesAsync(HostConfig host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Services);
}
