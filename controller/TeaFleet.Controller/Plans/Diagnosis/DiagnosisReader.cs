using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Reads the facts <see cref="Diagnoser"/> decides from: every host at once (services, the log tail of each
/// release service, failed operations), the database host's migration state, leftovers, queue and ledger,
/// and the environment's health URLs. Reads only. A host that cannot be reached is a fact, never a failure.
/// </summary>
public static class DiagnosisReader
{
    /// <summary>How many lines of each service's log are read.</summary>
    public const int LogTail = 200;

    /// <summary>How far back error lines count: the recent ones, not last week's.</summary>
    public static readonly TimeSpan RecentLogs = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A container's first seconds are not judged: a frontend's health check answers 502 while the backend it
    /// fronts starts, a worker reconnects; those lines are the switch's noise, not an issue (a service that
    /// keeps restarting is caught by its restart count instead).
    /// </summary>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(30);

    /// <summary>How far back a failed operation counts.</summary>
    public static readonly TimeSpan RecentOperations = TimeSpan.FromHours(6);

    /// <param name="queueWait">Time between the two queue reads (zero: one read).</param>
    public static async Task<DiagnosisFacts> ReadAsync(IFleetReader reader, EnvironmentConfig environment, TimeProvider timeProvider, TimeSpan queueWait, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var hosts = Task.WhenAll(environment.Hosts.Select(h => HostAsync(reader, h, now, cancellationToken)));
        var health = Task.WhenAll(environment.HealthUrls.Select(u => ProbeAsync(reader, u, cancellationToken)));
        var read = await hosts.ConfigureAwait(false);
        var answers = TrafficHeld.PageAnswers(environment, read.Select(r => r.Read).ToList(), (await health.ConfigureAwait(false)).OfType<HealthAnswer>().ToList());

        var database = environment.DatabaseHost;
        MigrationStatus? migration = null;
        LeftoversResponse? leftovers = null;
        QueueStatusResponse? queue = null;
        QueueStatusResponse? queueAgain = null;
        HostLedger? ledger = null;
        LastGoodRelease? lastGood = null;
        if (read.FirstOrDefault(r => r.Read.Host == database.Name) is { Read.Unreachable: null })
        {
            migration = await OrNullAsync(() => reader.GetMigrationStatusAsync(database, null, cancellationToken)).ConfigureAwait(false);
            var leftoversRead = migration is null ? Task.FromResult<LeftoversResponse?>(null) : OrNullAsync(() => reader.GetLeftoversAsync(database, null, cancellationToken));
            var queueRead = OrNullAsync(() => reader.GetQueueStatusAsync(database, cancellationToken));
            var ledgerRead = OrNullAsync(async () => (HostLedger?)await reader.GetLedgerAsync(database, cancellationToken).ConfigureAwait(false));
            leftovers = await leftoversRead.ConfigureAwait(false);
            queue = await queueRead.ConfigureAwait(false);
            ledger = await ledgerRead.ConfigureAwait(false);
            lastGood = await LastGoodAsync(reader, environment, cancellationToken).ConfigureAwait(false);
            if (queueWait > TimeSpan.Zero && queue is { Configured: true, Reachable: true })
            {
                // Growth needs two reads: the rest of the diagnosis took some of the wait already.
                var left = queueWait - (timeProvider.GetUtcNow() - now);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, timeProvider, cancellationToken).ConfigureAwait(false);
                }

                queueAgain = await OrNullAsync(() => reader.GetQueueStatusAsync(database, cancellationToken)).ConfigureAwait(false);
            }
        }

        return new DiagnosisFacts
        {
            Environment = environment.Name,
            Now = now,
            DatabaseHost = database.Name,
            Hosts = read.Select(r => r.Read).ToList(),
            Health = answers,
            Logs = read.SelectMany(r => r.Logs).ToList(),
            Migration = migration,
            Leftovers = leftovers,
            Queue = queue,
            QueueAgain = queueAgain,
            QueueWait = queueAgain is null ? TimeSpan.Zero : timeProvider.GetUtcNow() - now,
            LastGood = lastGood,
            Ledger = ledger,
        };
    }

    private static async Task<(HostRead Read, IReadOnlyList<LogErrors> Logs)> HostAsync(IFleetReader reader, HostConfig host, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceStatus> services;
        try
        {
            services = await reader.GetRunningServicesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e)
        {
            return (HostRead.NotReached(host.Name, e.Message), []);
        }

        var release = services.Where(s => !s.NotInRelease && s.ContainerId.Length > 0).ToList();
        var allowed = await OrNullAsync(async () => (IReadOnlyList<string>?)await reader.GetServicesAsync(host, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var logged = release.Where(s => allowed is null || allowed.Contains(s.Name, StringComparer.Ordinal)).ToList();
        var firewall = OrNullAsync(() => reader.GetFirewallAsync(host, cancellationToken));
        var maintenance = OrNullAsync(() => reader.GetMaintenanceAsync(host, cancellationToken));
        var operations = (await OrNullAsync(async () => (IReadOnlyList<OperationInfo>?)await reader.ListOperationsAsync(host, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false)) ?? [];
        var switched = LastSwitch(operations);
        // While the maintenance page is on, its proxy answering 503 is the page doing its job, not an error.
        var page = await maintenance.ConfigureAwait(false);
        var pageProxy = page is { On: true } ? page.ProxyService : null;
        var logs = Task.WhenAll(logged.Select(async s =>
        {
            var since = LogsSince(s, now, switched);
            var lines = since > now
                ? []
                : await OrNullAsync(async () => (IReadOnlyList<string>?)await reader.GetLogsSinceAsync(host, s.Name, since, LogTail, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false) ?? [];
            return LogErrors.Of(host.Name, s.Name, s.Name == pageProxy ? lines.Where(l => !LogErrors.IsMaintenanceAnswer(l)).ToList() : lines);
        }));

        // One-shots (a migrator that ran and exited) are read only when something is not running, as ServicesAfterRun does.
        var oneShots = new HashSet<string>(StringComparer.Ordinal);
        if (services.Any(s => !s.NotInRelease && ServicesAfterRun.Down(s, now) is not null))
        {
            foreach (var commit in services.Select(s => s.Release).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
            {
                var set = await OrNullAsync(() => reader.GetServiceSetAsync(host, commit, cancellationToken)).ConfigureAwait(false);
                oneShots.UnionWith(set?.Services.Where(s => s.OneShot).Select(s => s.Name) ?? []);
            }
        }

        var failed = operations
            .Where(o => o.State is OperationState.Failed or OperationState.Interrupted
                && (o.EndedAt ?? o.StartedAt)?.ToDateTimeOffset() is { } t && now - t <= RecentOperations)
            .ToList();
        var counted = (await logs.ConfigureAwait(false)).Where(l => l.Lines > 0).ToList();
        return (new HostRead(host.Name, services, oneShots, failed, null)
        {
            BlockedPorts = TrafficHeld.Blocked(await firewall.ConfigureAwait(false)),
            MaintenanceOn = page?.On ?? false,
        }, counted);
    }

    /// <summary>
    /// Where a service's log is read from: the last <see cref="RecentLogs"/>, after its own
    /// <see cref="StartupGrace"/> and after the host's last service operation ended (a frontend that was not
    /// recreated logged 502s while its backend was: the switch's noise, over when the switch was).
    /// </summary>
    public static DateTimeOffset LogsSince(ServiceStatus service, DateTimeOffset now, DateTimeOffset? switched = null)
    {
        var since = now - RecentLogs;
        if (service.StartedAt?.ToDateTimeOffset() + StartupGrace is { } settled && settled > since)
        {
            since = settled;
        }

        return switched is { } end && end > since ? end : since;
    }

    /// <summary>When the newest operation that started, stopped or recreated services ended, if one did.</summary>
    public static DateTimeOffset? LastSwitch(IEnumerable<OperationInfo> operations) =>
        operations.Where(o => o.Kind.StartsWith("services.", StringComparison.Ordinal) && o.EndedAt is not null)
            .Select(o => (DateTimeOffset?)o.EndedAt.ToDateTimeOffset()).Max();

    /// <summary>The rollback's default target, chosen by the rule 'teafleet rollback' uses, and the migrations it would revert.</summary>
    private static async Task<LastGoodRelease?> LastGoodAsync(IFleetReader reader, EnvironmentConfig environment, CancellationToken cancellationToken)
    {
        PreviousReleases.Choice choice;
        try
        {
            choice = await PreviousReleases.ChooseAsync(new FleetFacts(reader, environment), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.ExitCode == ExitCodes.BadInput)
        {
            return new LastGoodRelease(null, e.Message, 0);
        }
        catch (FleetException)
        {
            return null;
        }

        var status = await OrNullAsync(() => reader.GetMigrationStatusAsync(environment.DatabaseHost, choice.Commit, cancellationToken)).ConfigureAwait(false);
        return new LastGoodRelease(choice.Commit, choice.Reason, status?.DowngradeSteps ?? 0);
    }

    private static async Task<HealthAnswer?> ProbeAsync(IFleetReader reader, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ProbeHealthAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new HealthAnswer(url, false, e.Message);
        }
    }

    /// <summary>A secondary read: an agent that fails it (or is slow to) leaves the fact out rather than the diagnosis.</summary>
    private static async Task<T?> OrNullAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }
}
