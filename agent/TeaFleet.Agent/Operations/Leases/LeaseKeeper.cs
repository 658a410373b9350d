using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Leases;

/// <summary>
/// One run per environment, as this host sees it: the lease a controller takes on every host of the
/// environment before it plans, renews while its run lives and releases at the end. Expiry is judged
/// by this agent's clock only. While a live lease is held, <see cref="Admit"/> refuses every mutating
/// operation that does not belong to the lease's run; that check and the host lock are taken under
/// one gate, so a lease and a foreign operation can never both start.
/// </summary>
public sealed partial class LeaseKeeper
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);

    /// <summary>Run ids leave room in an operation id for ".STEP.HOST".</summary>
    public const int MaxRunIdLength = 64;

    private readonly Lock _gate = new();
    private readonly LeaseFile _file;
    private readonly HostLock _hostLock;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaseKeeper> _logger;
    private readonly string _hostName;
    private Lease? _lease;

    public LeaseKeeper(LeaseFile file, HostLock hostLock, IOptions<AgentOptions> options, TimeProvider time, ILogger<LeaseKeeper> logger)
    {
        _file = file;
        _hostLock = hostLock;
        _time = time;
        _logger = logger;
        _hostName = options.Value.HostName;
        _lease = file.Load();
        if (_lease is { } loaded && loaded.IsLiveAt(time.GetUtcNow()))
        {
            LogLoaded(loaded.Environment, loaded.RunId, loaded.Holder, loaded.ExpiresAt);
        }
    }

    /// <summary>The last lease this host knew (live, expired or released), or null when it never had one.</summary>
    public Lease? Current()
    {
        lock (_gate)
        {
            return _lease;
        }
    }

    /// <summary>Whether the lease is held now (by this agent's clock).</summary>
    public bool IsLive(Lease? lease) => lease is not null && lease.IsLiveAt(_time.GetUtcNow());

    public LeaseGrant Acquire(string environment, string runId, string requestedBy, string caller, TimeSpan ttl)
    {
        ValidateRun(runId);
        ValidateTtl(ttl);
        if (string.IsNullOrWhiteSpace(environment))
        {
            throw AgentException.Invalid("the lease request names no environment");
        }

        var holder = string.IsNullOrWhiteSpace(requestedBy) ? caller : requestedBy;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_lease is { } held && held.IsLiveAt(now))
            {
                if (held.RunId == runId)
                {
                    // The same run again: a resume, or a controller that retried. Renewed, not re-taken.
                    var renewed = Store(held with { RenewedAt = now, ExpiresAt = now + ttl });
                    return new LeaseGrant(renewed, Renewed: true, TookOver: null);
                }

                throw AgentException.Busy($"{Describe(held)}; host {_hostName} refuses run {runId}. Wait for that run to end (see `teafleet status {held.Environment}`), or, if its controller died, for its lease to lapse at {held.ExpiresAt:HH:mm:ss} UTC.");
            }

            var running = _hostLock.Snapshot();
            if (running.Held && !Lease.BelongsTo(running.OperationId, runId))
            {
                throw AgentException.Busy(
                    $"host {_hostName} is busy: operation {running.OperationId} ({running.Kind}) held by {running.Holder} since {running.Since:yyyy-MM-dd HH:mm:ss}Z runs here, so run {runId} cannot take {environment}. " +
                    $"Wait for it to finish, or follow it with `teafleet watch {_hostName} {running.OperationId}`.");
            }

            var expired = _lease is { ReleasedAt: null } lapsed && lapsed.RunId != runId ? lapsed : null;
            var lease = Store(new Lease
            {
                Environment = environment,
                RunId = runId,
                Holder = holder,
                AcquiredAt = _lease is { } own && own.RunId == runId && own.ReleasedAt is null ? own.AcquiredAt : now,
                RenewedAt = now,
                ExpiresAt = now + ttl,
            });
            if (expired is not null)
            {
                LogTakenOver(environment, runId, holder, expired.RunId, expired.Holder, expired.ExpiresAt);
            }
            else
            {
                LogAcquired(environment, runId, holder, lease.ExpiresAt);
            }

            return new LeaseGrant(lease, Renewed: false, TookOver: expired);
        }
    }

    /// <summary>Extends the live lease of <paramref name="runId"/>. A lapsed or released one is not revived: its run must stop.</summary>
    public Lease Renew(string runId, TimeSpan ttl)
    {
        ValidateRun(runId);
        ValidateTtl(ttl);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_lease is not { } lease || lease.RunId != runId)
            {
                if (_lease is { } other && other.IsLiveAt(now))
                {
                    throw AgentException.Busy($"{Describe(other)}; run {runId} lost its lease on host {_hostName}.");
                }

                throw AgentException.Precondition($"run {runId} holds no lease on host {_hostName}; acquire it again (`teafleet resume {runId}` does).");
            }

            if (lease.ReleasedAt is { } released)
            {
                throw AgentException.Precondition($"the lease of run {runId} on host {_hostName} was released at {released:HH:mm:ss} UTC; acquire it again (`teafleet resume {runId}` does).");
            }

            if (!lease.IsLiveAt(now))
            {
                throw AgentException.Precondition($"the lease of run {runId} on host {_hostName} lapsed at {lease.ExpiresAt:HH:mm:ss} UTC; something else may have run here since. Check `teafleet status {lease.Environment}`, then `teafleet resume {runId}`.");
            }

            return Store(lease with { RenewedAt = now, ExpiresAt = now + ttl });
        }
    }

    /// <summary>Ends the lease of <paramref name="runId"/>; only its run may. Nothing of its to release is not an error.</summary>
    public (Lease? Lease, bool Released) Release(string runId)
    {
        ValidateRun(runId);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_lease is not { ReleasedAt: null } lease)
            {
                return (_lease, false);
            }

            if (lease.RunId != runId)
            {
                if (lease.IsLiveAt(now))
                {
                    throw AgentException.Precondition($"{Describe(lease)}; only that run may release it, not run {runId}.");
                }

                return (lease, false);
            }

            var ended = Store(lease with { ReleasedAt = now });
            LogReleased(lease.Environment, runId);
            return (ended, true);
        }
    }

    /// <summary>
    /// Starts a mutating operation if the lease allows it: <paramref name="start"/> (which takes the host
    /// lock) runs under the lease's gate, after the check, so no lease is granted between the two.
    /// </summary>
    public void Admit(string operationId, Action start)
    {
        lock (_gate)
        {
            if (_lease is { } lease && lease.IsLiveAt(_time.GetUtcNow()) && !lease.Covers(operationId))
            {
                throw AgentException.Busy($"{Describe(lease)}; operation {operationId} does not belong to that run, so host {_hostName} refuses it. Wait for that run to end (see `teafleet status {lease.Environment}`).");
            }

            start();
        }
    }

    /// <summary>"production is held by RUN (holder, since 01:02:03 UTC, lease until 01:04:03 UTC)".</summary>
    public static string Describe(Lease lease) =>
        $"{lease.Environment} is held by {lease.RunId} ({lease.Holder}, since {lease.AcquiredAt:HH:mm:ss} UTC, lease until {lease.ExpiresAt:HH:mm:ss} UTC)";

    private Lease Store(Lease lease)
    {
        _file.Save(lease);
        _lease = lease;
        return lease;
    }

    private static void ValidateRun(string runId)
    {
        if (string.IsNullOrEmpty(runId) || runId.Length > MaxRunIdLength || !OperationIds.IsValid(runId))
        {
            throw AgentException.Invalid($"run id '{runId}' is not valid: use 1-{MaxRunIdLength} characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void ValidateTtl(TimeSpan ttl)
    {
        if (ttl < MinTtl || ttl > MaxTtl)
        {
            throw AgentException.Invalid($"a lease lives {MinTtl.TotalSeconds:0} s to {MaxTtl.TotalMinutes:0} min without a renewal, not {ttl.TotalSeconds:0.#} s");
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Lease of {Environment} taken by run {RunId} ({Holder}) until {ExpiresAt}")]
    private partial void LogAcquired(string environment, string runId, string holder, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Lease of {Environment} taken over by run {RunId} ({Holder}): the lease of run {ExpiredRunId} ({ExpiredHolder}) lapsed at {ExpiredAt} without a renewal")]
    private partial void LogTakenOver(string environment, string runId, string holder, string expiredRunId, string expiredHolder, DateTimeOffset expiredAt);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Lease of {Environment} released by run {RunId}")]
    private partial void LogReleased(string environment, string runId);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Lease of {Environment} held by run {RunId} ({Holder}) until {ExpiresAt}, read from the state dir")]
    private partial void LogLoaded(string environment, string runId, string holder, DateTimeOffset expiresAt);
}
