using System.Collections.Concurrent;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// What planning reads from an environment's agents, read once per plan and kept: the ledgers and
/// current commits, refs resolved on every host, the migration state, the backup catalogue and the
/// services. Checks that fail say what to do and change nothing.
/// </summary>
public sealed partial class FleetFacts(IFleetReader reader, EnvironmentConfig environment)
{
    private readonly ReadOnce<string, ResolvedRef> _refs = new(StringComparer.Ordinal);
    private readonly ReadOnce<string, MigrationStatus?> _migrations = new(StringComparer.Ordinal);
    private readonly ReadOnce<string, LeftoversResponse?> _leftovers = new(StringComparer.Ordinal);
    private readonly ReadOnce<(string Host, string Commit), GetServiceSetResponse?> _serviceSets = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ServiceChanges>> _changes = new(StringComparer.Ordinal);
    private readonly ReadOnce<string, IReadOnlyList<ServiceStatus>> _running = new(StringComparer.Ordinal);
    private Task<HostLedger[]>? _ledgers;
    private Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>? _runningCommits;
    private Task<IReadOnlyList<Backup>>? _backups;
    private Task<FirewallStatusResponse?[]>? _firewalls;
    private Task<MaintenanceStatusResponse?[]>? _maintenance;

    public EnvironmentConfig Environment => environment;

    public IFleetReader Reader => reader;

    /// <summary>Every host's release ledger, in inventory order.</summary>
    public Task<HostLedger[]> LedgersAsync(CancellationToken cancellationToken) =>
        _ledgers ??= Task.WhenAll(environment.Hosts.Select(h => reader.GetLedgerAsync(h, cancellationToken)));

    /// <summary>
    /// A host's services and what each container runs (Services.List); none when the agent cannot list them
    /// (Docker down: then the ledger stands in for what runs, and nothing counts as already running the target).
    /// </summary>
    public Task<IReadOnlyList<ServiceStatus>> RunningAsync(HostConfig host, CancellationToken cancellationToken) =>
        _running.Get(host.Name, _ => ListRunningAsync(host, cancellationToken));

    private async Task<IReadOnlyList<ServiceStatus>> ListRunningAsync(HostConfig host, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetRunningServicesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>
    /// What runs now, per host: the commits its services' containers run, newest first (<see cref="RunningCommits"/>;
    /// several: a mixed host). Not the ledger's newest entry: a failed or partial switch leaves services on other code.
    /// </summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> RunningCommitsAsync(CancellationToken cancellationToken) =>
        _runningCommits ??= ReadRunningCommitsAsync(cancellationToken);

    /// <summary>
    /// Hosts whose checkout and running containers disagree (issue 11 item 5: an agent stopped mid-switch, a
    /// switch that failed after its checkout): the checkout is what Alembic and the next switch read as the
    /// live release, the containers are what serves. One warning per such host; none when a host cannot say.
    /// And one per stray container (a service the host's release does not define), which the switch removes.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckoutWarningsAsync(CancellationToken cancellationToken)
    {
        var running = await RunningCommitsAsync(cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        foreach (var host in environment.Hosts)
        {
            if (await CheckoutOfAsync(host, cancellationToken).ConfigureAwait(false) is not { } checkout)
            {
                continue;
            }

            if (CheckoutText.Disagrees(checkout, running.GetValueOrDefault(host.Name) ?? []) is { } text)
            {
                warnings.Add($"{host.Name}: {text}; the switch in this plan puts its checkout and services on one release again");
            }

            foreach (var stray in ServiceChanges.Strays(await RunningAsync(host, cancellationToken).ConfigureAwait(false)))
            {
                warnings.Add($"{host.Name}: a container of {stray} runs, which the release there does not define (left by an older release or by hand); the switch in this plan removes it");
            }
        }

        return warnings;
    }

    /// <summary>The commit each host runs now: its one commit, or for a mixed host the newest it runs (see <see cref="RunningCommitsAsync"/>).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CurrentCommitsAsync(CancellationToken cancellationToken) =>
        (await RunningCommitsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Key, c => RunningCommits.Newest(c.Value), StringComparer.Ordinal);

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadRunningCommitsAsync(CancellationToken cancellationToken)
    {
        var ledgers = await LedgersAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (host, ledger) in environment.Hosts.Zip(ledgers))
        {
            result[host.Name] = RunningCommits.Of(await RunningAsync(host, cancellationToken).ConfigureAwait(false), ledger);
        }

        return result;
    }

    /// <summary>The backup catalogue of the database host, newest first.</summary>
    public Task<IReadOnlyList<Backup>> BackupsAsync(CancellationToken cancellationToken) =>
        _backups ??= reader.ListBackupsAsync(environment.DatabaseHost, cancellationToken);

    /// <summary>The Alembic state on the database host, with the steps to <paramref name="target"/> (null: none); null when it runs no migrations.</summary>
    public Task<MigrationStatus?> MigrationsAsync(string? target, CancellationToken cancellationToken) =>
        _migrations.Get(target ?? "", _ => reader.GetMigrationStatusAsync(environment.DatabaseHost, target, cancellationToken));

    /// <summary>What a downgrade left behind on the database host (with collisions for a target commit); null when it cannot tell (no migrations there, an older agent).</summary>
    public Task<LeftoversResponse?> LeftoversAsync(string? target, CancellationToken cancellationToken) =>
        _leftovers.Get(target ?? "", _ => reader.GetLeftoversAsync(environment.DatabaseHost, target, cancellationToken));

    /// <summary>
    /// The hosts whose public ports a plan can block (ufw active, the agent has the firewall), and for each
    /// other host why not ("prod-2: ufw is inactive ..."), in the inventory's order.
    /// </summary>
    public async Task<(IReadOnlyList<HostConfig> Blockable, IReadOnlyList<string> Not)> BlockableHostsAsync(CancellationToken cancellationToken)
    {
        _firewalls ??= Task.WhenAll(environment.Hosts.Select(h => reader.GetFirewallAsync(h, cancellationToken)));
        var firewalls = await _firewalls.ConfigureAwait(false);
        var blockable = new List<HostConfig>();
        var not = new List<string>();
        for (var i = 0; i < environment.Hosts.Count; i++)
        {
            var host = environment.Hosts[i];
            if (firewalls[i] is { Available: true, Active: true })
            {
                blockable.Add(host);
            }
            else
            {
                not.Add($"{host.Name}: {(firewalls[i] is { } f ? f.Message.Length > 0 ? f.Message : "ufw is not active" : "its agent has no firewall")}");
            }
        }

        return (blockable, not);
    }

    /// <summary>
    /// Every host's maintenance page (Maintenance.Status), in the inventory's order, and for each host that
    /// cannot show one why not ("prod-2: its agent has no maintenance page ...").
    /// </summary>
    public async Task<(IReadOnlyList<(HostConfig Host, MaintenanceStatusResponse Status)> Capable, IReadOnlyList<string> Not)> MaintenanceHostsAsync(CancellationToken cancellationToken)
    {
        _maintenance ??= Task.WhenAll(environment.Hosts.Select(h => reader.GetMaintenanceAsync(h, cancellationToken)));
        var statuses = await _maintenance.ConfigureAwait(false);
        var capable = new List<(HostConfig, MaintenanceStatusResponse)>();
        var not = new List<string>();
        for (var i = 0; i < environment.Hosts.Count; i++)
        {
            var host = environment.Hosts[i];
            switch (statuses[i])
            {
                case null:
                    not.Add($"{host.Name}: its agent has no maintenance page (an agent from before it: update teafleet-agent)");
                    break;
                case { Configured: false } s:
                    not.Add($"{host.Name}: {s.Message}");
                    break;
                case { ProxyService.Length: 0 }:
                    not.Add($"{host.Name}: Agent:Maintenance:ProxyService is not set (the Compose service whose nginx serves the page, e.g. \"frontend\"; a plan keeps it running)");
                    break;
                case var s:
                    capable.Add((host, s));
                    break;
            }
        }

        return (capable, not);
    }

    /// <summary>
    /// The runbook's "stop frontend backend": the services of the frontend and backend roles (the inventory's
    /// 'roles:', else the services of those names) the hosts have. An app with neither (Kiosk: api, admin,
    /// worker) gets every service its live release runs, never a data service or a one-shot: users get no
    /// answer while the schema changes, as the runbook means.
    /// </summary>
    public async Task<IReadOnlyList<string>> TrafficServicesAsync(CancellationToken cancellationToken)
    {
        var host = environment.Hosts[0];
        var allowed = await reader.GetServicesAsync(host, cancellationToken).ConfigureAwait(false);
        var roles = environment.Roles.Frontend.Concat(environment.Roles.Backend).Where(s => allowed.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count > 0)
        {
            return roles;
        }

        var current = (await CurrentCommitsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(host.Name, "");
        var set = current.Length == 0 ? null : await ServiceSetAsync(host, current, cancellationToken).ConfigureAwait(false);
        return set?.Services.Where(s => !s.DataService && !s.OneShot && allowed.Contains(s.Name, StringComparer.Ordinal)).Select(s => s.Name).ToList() ?? [];
    }

    /// <summary>A ref resolved on every host to the same commit; bad input when it is missing anywhere or means different commits.</summary>
    public Task<ResolvedRef> ResolveEverywhereAsync(string reference, CancellationToken cancellationToken) =>
        _refs.Get(reference, r => ResolveAsync(r, cancellationToken));

    private async Task<ResolvedRef> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsPlausibleRef(reference))
        {
            throw FleetException.BadInput($"'{reference}' is not a commit, tag or branch name.", "Write a commit hash (7-40 hex digits), a tag or a branch name.");
        }

        var results = await Task.WhenAll(environment.Hosts.Select(async h => (Host: h, Ref: await reader.ResolveAsync(h, reference, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var missing = results.Where(r => r.Ref is null).Select(r => r.Host.Name).ToList();
        if (missing.Count > 0)
        {
            throw FleetException.BadInput(
                $"'{reference}' does not exist on {string.Join(", ", missing)} (environment '{environment.Name}'); nothing was changed.",
                "Check the name (teafleet releases ENV lists what ran before), or fetch the app's repository on that host first.");
        }

        var commits = results.Select(r => r.Ref!.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count > 1)
        {
            throw FleetException.BadInput(
                $"'{reference}' means different commits on the hosts of '{environment.Name}': {string.Join(", ", results.Select(r => $"{r.Host.Name}={PlanText.Short(r.Ref!.Commit)}"))}.",
                "Name a full commit hash instead.");
        }

        return results[0].Ref!;
    }

    /// <summary>Bad input when a named service is not one every host allows.</summary>
    public async Task CheckServicesAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        if (services.Count == 0)
        {
            return;
        }

        var allowed = await Task.WhenAll(environment.Hosts.Select(async h => (Host: h, Services: await reader.GetServicesAsync(h, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (host, list) in allowed)
        {
            var unknown = services.Where(s => !list.Contains(s, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw FleetException.BadInput(
                    $"unknown service{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} on {host.Name}; it has: {string.Join(", ", list)}.",
                    "Pass --services with names from that list (comma-separated), or leave it out for all services.");
            }
        }
    }

    /// <summary>A release's service set on a host (empty commit: the checkout's); null when its agent cannot tell.</summary>
    public Task<GetServiceSetResponse?> ServiceSetAsync(HostConfig host, string commit, CancellationToken cancellationToken) =>
        _serviceSets.Get((host.Name, commit), key => reader.GetServiceSetAsync(host, key.Commit, cancellationToken));

    /// <summary>
    /// Refuses, before anything changes, a switch to <paramref name="target"/> that cannot succeed on some
    /// host: a named service the target's compose files do not define, or a service with neither image
    /// nor build (the agent lists those as problems). Keeps, per host, the services the switch removes
    /// and creates, for the plan (<see cref="ChangesFor"/>). Hosts whose agent predates the read are not checked.
    /// </summary>
    public async Task CheckSwitchAsync(string target, IReadOnlyList<string> services, string release, CancellationToken cancellationToken)
    {
        var current = await CurrentCommitsAsync(cancellationToken).ConfigureAwait(false);
        var changes = new Dictionary<string, ServiceChanges>(StringComparer.Ordinal);
        foreach (var host in environment.Hosts)
        {
            var set = await ServiceSetAsync(host, target, cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                continue;
            }

            var defined = set.Services.Select(s => s.Name).ToList();
            var missing = services.Where(s => !defined.Contains(s, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw FleetException.BadInput(
                    $"service{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} do{(missing.Count > 1 ? "" : "es")} not exist at {release} on {host.Name}: its compose files define {string.Join(", ", defined)}; nothing was changed.",
                    "Name services the release defines with --services, or leave --services out: TeaFleet then switches what the release defines (and removes what it no longer has).");
            }

            var unusable = services.Select(s => set.Services.First(d => d.Name == s)).Where(d => d.Image.Length == 0).Select(d => d.Name).ToList();
            var problems = services.Count == 0 ? set.Problems.ToList() : unusable.Select(u => $"service {u} has no image: at {release}").ToList();
            if (problems.Count > 0)
            {
                throw FleetException.BadInput(
                    $"{release} cannot be switched to on {host.Name}: {string.Join("; ", problems)}; nothing was changed.",
                    "Do what each problem says: a service needs `image: <name>:${RELEASE_VARIABLE}` (and `build:` for the app's own code) in the release's compose files; a fixed upstream tag is never built, so pull or load it on the host. Or choose another release.");
            }

            var now = await ServiceSetAsync(host, current.GetValueOrDefault(host.Name, ""), cancellationToken).ConfigureAwait(false);
            // What the host has: its release's services and any container its release does not define (a stray).
            var before = (now?.Services.Where(s => !s.DataService).Select(s => s.Name) ?? [])
                .Concat(ServiceChanges.Strays(await RunningAsync(host, cancellationToken).ConfigureAwait(false)))
                .Where(s => !set.Services.Any(d => d.Name == s && d.DataService))
                .Distinct(StringComparer.Ordinal).ToList();
            var after = set.Services.Where(s => !s.DataService).Select(s => s.Name).ToList();
            var switched = services.Count == 0 ? set.SwitchServices.ToList() : services.ToList();
            changes[host.Name] = new ServiceChanges(
                before.Where(b => !after.Contains(b, StringComparer.Ordinal)).ToList(),
                after.Where(a => !before.Contains(a, StringComparer.Ordinal) && switched.Contains(a, StringComparer.Ordinal)).ToList(),
                defined.ToHashSet(StringComparer.Ordinal))
            {
                Modes = ServiceChanges.ModesOf(set, switched),
                Source = (set, switched),
            };
        }

        _changes[target] = changes;
    }

    /// <summary>Per host, what a switch to the target removes and creates (as <see cref="CheckSwitchAsync"/> found it; empty when not checked).</summary>
    public IReadOnlyDictionary<string, ServiceChanges> ChangesFor(string target) =>
        _changes.TryGetValue(target, out var changes) ? changes : new Dictionary<string, ServiceChanges>();

    /// <summary>Bad input when a backup id looks like a path: a restore takes a catalogue id, never a file.</summary>
    public void CheckNotAPath(string backupId)
    {
        if (backupId.Contains('/', StringComparison.Ordinal) || backupId.Contains('\\', StringComparison.Ordinal) || backupId.EndsWith(".gz", StringComparison.Ordinal) || backupId.EndsWith(".dump", StringComparison.Ordinal))
        {
            throw FleetException.BadInput(
                $"'{backupId}' looks like a path; a restore takes a backup id from the catalogue, never a file.",
                $"List the backups with 'teafleet backups {environment.Name}' and give an id from the first column.");
        }
    }

    /// <summary>A catalogued backup by id, never one that failed verification.</summary>
    public async Task<Backup> BackupAsync(string backupId, CancellationToken cancellationToken)
    {
        CheckNotAPath(backupId);
        var backup = (await BackupsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Id == backupId)
            ?? throw FleetException.BadInput(
                $"no backup '{backupId}' on {environment.DatabaseHost.Name} (environment '{environment.Name}'); nothing was changed.",
                $"List the backups with 'teafleet backups {environment.Name}'.");
        return backup.VerifyState == VerifyState.Failed
            ? throw FleetException.BadInput($"backup {backup.Id} failed verification ({backup.VerifyMessage}); it is never restored.", $"Choose another from 'teafleet backups {environment.Name}'.")
            : backup;
    }
}
