using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A plan's steps as they are laid out, numbered in order, with the building blocks procedures share:
/// switch the hosts one at a time, stop services, a full backup, the database check, the environment's
/// health URLs.
/// </summary>
public sealed class StepList(EnvironmentConfig environment)
{
    private readonly List<PlanStep> _steps = [];

    /// <summary>The number the next step gets.</summary>
    public int Next => _steps.Count + 1;

    /// <summary>The number of the last step added.</summary>
    public int Last => _steps.Count;

    public IReadOnlyList<PlanStep> Steps => _steps;

    /// <summary>Adds a step (its index is set here).</summary>
    public StepList Add(PlanStep step)
    {
        _steps.Add(step with { Index = Next });
        return this;
    }

    /// <summary>Per host, one at a time: services.recreate on the target, then that host's health URLs.</summary>
    public StepList Switch(PlanKind kind, string target, IReadOnlyList<string> services, bool noCache, IReadOnlyDictionary<string, ServiceChanges>? changes = null)
    {
        foreach (var host in environment.Hosts)
        {
            var isLast = host == environment.Hosts[^1];
            var change = changes?.GetValueOrDefault(host.Name) ?? ServiceChanges.None;
            Add(new RecreateServicesStep(services, target, kind, noCache)
            {
                Removes = change.Removes,
                Creates = change.Creates,
                Modes = change.Modes,
                Index = 0,
                Host = host.Name,
                Verification = "agent: " + (noCache ? "images built again without cache; " : "") + "containers running (and healthy where they have a health check), the host's health URLs answer 2xx; release recorded in the ledger",
                OnFailure = kind == PlanKind.Rollback
                    ? $"stop; the remaining hosts keep their release. Read the failing service's last log lines (teafleet logs {environment.Name} SERVICE --host {host.Name}), fix and re-run, or escalate to a Type 2/3 rollback"
                    : $"stop; the remaining hosts keep their release, and the way back puts the hosts the deploy reached back on the code they ran (once the database is found unchanged). Read the logs: teafleet logs {environment.Name} SERVICE --host {host.Name}",
            });

            var urls = environment.HealthUrlsOf(host, change.Defined);
            if (urls.Count > 0)
            {
                Add(new HealthCheckStep(urls)
                {
                    Index = 0,
                    Host = host.Name,
                    Verification = "controller: every URL answers 2xx within 30 s",
                    OnFailure = isLast ? "stop and report" : "stop before the next host; the hosts after it keep their release",
                });
            }
        }

        return this;
    }

    /// <summary>
    /// Every health URL of the environment, checked by the controller (none configured: no step); given the
    /// switch's changes, a URL that belongs to a service only where some host's target defines it.
    /// </summary>
    public StepList EnvironmentHealth(string onFailure, IReadOnlyDictionary<string, ServiceChanges>? changes = null)
    {
        var urls = environment.HealthUrlsWhere(Defined(changes));
        if (urls.Count > 0)
        {
            Add(new HealthCheckStep(urls)
            {
                Index = 0,
                Host = PlanStep.ControllerHost,
                Verification = $"controller: every health URL of '{environment.Name}' answers 2xx within 30 s",
                OnFailure = onFailure,
            });
        }

        return this;
    }

    /// <summary>
    /// The runbook's "monitor for 5-10 minutes" after a rollback: the environment watched for the inventory's
    /// window (health URLs and agents' /healthz, restarts, error lines, resource use); none when the
    /// inventory turns it off ('monitor: { window: off }').
    /// </summary>
    public StepList Monitor(string onFailure, IReadOnlyDictionary<string, ServiceChanges>? changes = null)
    {
        var monitor = environment.Monitor;
        if (monitor.Window <= TimeSpan.Zero)
        {
            return this;
        }

        return Add(new MonitorStep(environment.HealthUrlsWhere(Defined(changes)), monitor.Window, monitor.Interval)
        {
            Index = 0,
            Host = PlanStep.ControllerHost,
            Verification = $"controller: for {MonitorStep.Seconds(monitor.Window)}, every {MonitorStep.Seconds(monitor.Interval)}: the health URLs" +
                           (monitor.AgentHealthPort > 0 ? " and each agent's /healthz" : "") +
                           $" answer ({monitor.HealthFailures} failures in a row of one fail it), no service stops or restarts, at most {monitor.ErrorLines} new error lines per host in the logs; resource use recorded (the runbook's \"monitor for 5-10 minutes\")",
            OnFailure = onFailure,
        });
    }

    /// <summary>The services the switch's targets define on every host, or null when not known (every URL applies).</summary>
    private static HashSet<string>? Defined(IReadOnlyDictionary<string, ServiceChanges>? changes) =>
        changes is { Count: > 0 } && changes.Values.All(c => c.Defined is not null)
            ? changes.Values.SelectMany(c => c.Defined!).ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>
    /// The inventory's smoke checks (the runbook's "test critical functionality": login, read, create and
    /// delete a record), through the public address; none configured: no step, and the plan's note says so.
    /// Health URLs answer while login fails (a release that rewrote data the old code cannot read): this
    /// is the check that catches it.
    /// </summary>
    public StepList SmokeTest(string onFailure)
    {
        if (environment.Smoke is { } smoke)
        {
            Add(new SmokeTestStep([.. smoke.Checks.Select(c => c.Name)], smoke.BaseUrl)
            {
                Index = 0,
                Host = PlanStep.ControllerHost,
                Verification = "controller: the inventory's smoke checks answer as expected (the runbook's \"test critical functionality\": login, view data, create and delete a test record)",
                OnFailure = onFailure,
            });
        }

        return this;
    }

    /// <summary>The runbook's "block all traffic": the public ports of each host denied in ufw.</summary>
    public StepList Block(IReadOnlyList<HostConfig> hosts, bool keepCaller, string onFailure)
    {
        foreach (var host in hosts)
        {
            Add(new BlockTrafficStep([])
            {
                KeepCaller = keepCaller,
                Index = 0,
                Host = host.Name,
                Verification = "agent: each public port denied in ufw (the rule it replaced recorded)" + (keepCaller ? ", open only to the controller's address for the run's checks" : "") + "; every other rule unchanged",
                OnFailure = onFailure,
            });
        }

        return this;
    }

    /// <summary>
    /// The runbook's gradual restoration of traffic: one host at a time, its block undone (Firewall.Allow),
    /// then that host watched for the inventory's 'monitor: host_window' (its health URLs, its agent's
    /// /healthz, restarts, error lines) before the next host lets its users in; with no host window, its
    /// health URLs checked once.
    /// </summary>
    public StepList GradualAllow(IReadOnlyList<HostConfig> hosts, int? requires = null)
    {
        foreach (var host in hosts)
        {
            var isLast = host == hosts[^1];
            Add(new AllowTrafficStep([])
            {
                Index = 0,
                Host = host.Name,
                Verification = "agent: TeaFleet's block of the public ports undone (the rule before put back, or TeaFleet's deny deleted); ports TeaFleet did not block left as they are",
                OnFailure = isLast ? "stop and report" : "stop; the hosts after it stay blocked",
                Requires = requires,
            });
            WatchHostBack(host, requires,
                isLast ? "stop and report; block it again with 'teafleet block ENV --hosts HOST' if it fails its users" : "stop before the next host lets its users in; the hosts after it stay blocked; block this one again with 'teafleet block ENV --hosts HOST' if it fails its users",
                isLast ? "stop and report; block it again with 'teafleet block ENV' if it fails its users" : "stop before the next host lets its users in; the hosts after it stay blocked");
        }

        return this;
    }

    /// <summary>
    /// The runbook's gradual restoration behind a maintenance page: one host at a time, its page taken down
    /// (Maintenance.Disable), then that host watched like <see cref="GradualAllow"/> before the next host's
    /// page comes down.
    /// </summary>
    public StepList GradualMaintenanceOff(IReadOnlyList<HostConfig> hosts)
    {
        foreach (var host in hosts)
        {
            var isLast = host == hosts[^1];
            Add(new DisableMaintenanceStep
            {
                Index = 0,
                Host = host.Name,
                Verification = "agent: the maintenance flag removed, then the passes: the app's nginx serves its users again from the next request on",
                OnFailure = isLast ? $"stop and report; take the page down by hand with 'teafleet maintenance {environment.Name} off --hosts {host.Name}'" : "stop; the hosts after it still show the page",
            });
            var again = $"put the page up again with 'teafleet maintenance {environment.Name} on --hosts {host.Name}' if it fails its users";
            var onFailure = isLast ? $"stop and report; {again}" : $"stop before the next host's page comes down; the hosts after it still show the page; {again}";
            WatchHostBack(host, null, onFailure, onFailure);
        }

        return this;
    }

    /// <summary>
    /// A host whose users just came back: watched for the inventory's 'monitor: host_window' (its health URLs,
    /// its agent's /healthz, restarts, error lines), or with no host window its health URLs checked once.
    /// </summary>
    private void WatchHostBack(HostConfig host, int? requires, string watchFailure, string healthFailure)
    {
        var urls = environment.HealthUrlsOf(host);
        var monitor = environment.Monitor;
        if (monitor.HostWindow > TimeSpan.Zero)
        {
            Add(new MonitorStep(urls, monitor.HostWindow, monitor.HostWindow < monitor.Interval ? monitor.HostWindow : monitor.Interval)
            {
                Index = 0,
                Host = host.Name,
                Verification = $"controller: with its users back, the host watched for {MonitorStep.Seconds(monitor.HostWindow)}: its health URLs" +
                               (monitor.AgentHealthPort > 0 ? " and its agent's /healthz" : "") + $" answer, no service stops or restarts, at most {monitor.ErrorLines} new error lines",
                OnFailure = watchFailure,
                Requires = requires,
            });
        }
        else if (urls.Count > 0)
        {
            Add(new HealthCheckStep(urls)
            {
                Index = 0,
                Host = host.Name,
                Verification = "controller: the host's health URLs answer 2xx within 30 s with its users back",
                OnFailure = healthFailure,
                Requires = requires,
            });
        }
    }

    /// <summary>Services stopped on every host (none named: the release services).</summary>
    public StepList Stop(IReadOnlyList<string> services, string why, string onFailure)
    {
        foreach (var host in environment.Hosts)
        {
            Add(new StopServicesStep(services) { Index = 0, Host = host.Name, Verification = $"agent: {why}; the containers are stopped", OnFailure = onFailure });
        }

        return this;
    }

    /// <summary>Stopped services started again on every host, as forward steps.</summary>
    public StepList Start(IReadOnlyList<string> services, string why, Func<HostConfig, string> onFailure)
    {
        foreach (var host in environment.Hosts)
        {
            Add(new StartServicesStep(services) { Index = 0, Host = host.Name, Verification = $"agent: {why}; running (and healthy where they have a health check), the host's health URLs answer 2xx", OnFailure = onFailure(host) });
        }

        return this;
    }

    /// <summary>
    /// The plan's way back for the stop steps <paramref name="stops"/>: if the run fails after one of them
    /// succeeded, that host's services are started again (each undoes its stop).
    /// </summary>
    public StepList StartAgainOnFailure(IEnumerable<int> stops)
    {
        foreach (var stop in stops.Select(i => _steps[i - 1]).OfType<StopServicesStep>().ToList())
        {
            Add(new StartServicesStep(stop.Services)
            {
                Index = 0,
                Host = stop.Host,
                Verification = $"agent: only if the run failed after step {stop.Index}: the services it stopped started again, so the failure does not leave the app down",
                OnFailure = $"report which services are down on {stop.Host}: read their logs (teafleet logs {environment.Name} SERVICE --host {stop.Host})",
                RunsIf = StepCondition.Undoes(stop.Index),
            });
        }

        return this;
    }

    /// <summary>A full, verified backup on the environment's database host.</summary>
    public StepList FullBackup(string what, string onFailure, bool postRollback = false) =>
        Add(new BackupStep(BackupKind.Full, postRollback)
        {
            Index = 0,
            Host = environment.DatabaseHost.Name,
            Verification = $"agent: {what}; full and verified (sha256, pg_restore --list)",
            OnFailure = onFailure,
        });

    /// <summary>
    /// The runbook checklist's "backup created post-rollback", for the rollbacks that changed the
    /// database (Type 2, Type 3): the state the app runs on now, kept once it answers again.
    /// </summary>
    public StepList PostRollbackBackup() =>
        FullBackup("the database as the app runs on it now (runbook checklist: backup created post-rollback)",
            $"the rollback itself is done and the app answers; take the backup by hand once there is room: teafleet backup {environment.Name} --full",
            postRollback: true);

    /// <summary>The runbook's "test database queries", and the Alembic head when one is expected.</summary>
    public StepList DatabaseCheck(string expectHead, string onFailure) =>
        Add(new CheckDatabaseStep(expectHead)
        {
            Index = 0,
            Host = environment.DatabaseHost.Name,
            Verification = $"controller: the database answers queries (tables and rows counted) and its Alembic head is {(expectHead.Length > 0 ? expectHead : "read back")}",
            OnFailure = onFailure,
        });
}
