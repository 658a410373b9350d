using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>
/// A run's hold on its environment: the lease taken on every host of the environment, in inventory
/// order, before the run plans or touches a host for anything else; renewed in the background while
/// the run lives; released at the end (also on failure and Ctrl+C). If one host refuses, what was
/// taken is released and the run ends at once (exit 5) naming the holder. A renewal that fails so the
/// lease may have lapsed on some host makes <see cref="Check"/> stop the run before its next step.
/// </summary>
public sealed class EnvironmentLease : IAsyncDisposable
{
    /// <summary>How long a release at the end may take, even after Ctrl+C.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    private readonly ILeaseCalls _calls;
    private readonly LeasePolicy _policy;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _renewedAt = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;
    private string? _lost;
    private int _lostExitCode;
    private bool _released;

    private EnvironmentLease(ILeaseCalls calls, EnvironmentConfig environment, string runId, LeasePolicy policy, TimeProvider time)
    {
        _calls = calls;
        Environment = environment;
        RunId = runId;
        _policy = policy;
        _time = time;
    }

    public EnvironmentConfig Environment { get; }

    public string RunId { get; }

    public LeasePolicy Policy => _policy;

    /// <summary>The leases the hosts granted, in inventory order.</summary>
    public IReadOnlyList<Lease> Granted { get; private set; } = [];

    /// <summary>Expired leases of other runs this one took over: (host, run id, holder).</summary>
    public IReadOnlyList<(string Host, string RunId, string Holder)> TookOver { get; private set; } = [];

    /// <summary>Takes the lease on every host of the environment, or none: a refusal releases what was taken and throws (exit 5).</summary>
    public static async Task<EnvironmentLease> AcquireAsync(ILeaseCalls calls, EnvironmentConfig environment, string runId, string holder, LeasePolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var lease = new EnvironmentLease(calls, environment, runId, policy, time);
        var granted = new List<Lease>();
        var tookOver = new List<(string, string, string)>();
        foreach (var host in environment.Hosts)
        {
            var sent = time.GetTimestamp();
            AcquireLeaseResponse response;
            try
            {
                response = await calls.AcquireAsync(host, new AcquireLeaseRequest
                {
                    Environment = environment.Name,
                    RunId = runId,
                    RequestedBy = holder,
                    Ttl = Duration.FromTimeSpan(policy.Ttl),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FleetException or OperationCanceledException)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
                if (e is HostBusyException busy)
                {
                    throw await HeldAsync(calls, host, runId, busy, cancellationToken).ConfigureAwait(false);
                }

                throw;
            }

            lease.Renewed(host.Name, sent);
            granted.Add(response.Lease);
            if (response.TookOverRunId.Length > 0)
            {
                tookOver.Add((host.Name, response.TookOverRunId, response.TookOverHolder));
            }
        }

        lease.Granted = granted;
        lease.TookOver = tookOver;
        // Started here, not on another thread: its first wait is armed before this returns.
        lease._renewal = lease.RenewLoopAsync(lease._stop.Token);
        return lease;
    }

    /// <summary>Null while the lease holds on every host; else why the run must stop before its next step.</summary>
    public FleetException? Check()
    {
        lock (_gate)
        {
            if (_lost is { } lost)
            {
                return new FleetException(_lostExitCode, lost, $"Check 'teafleet status {Environment.Name}', then continue with 'teafleet resume {RunId}'.");
            }

            // Measured from when the last successful renewal was sent: the agent counts from when it got it, later.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, _policy.Ttl.Ticks / 4));
            foreach (var (host, sent) in _renewedAt)
            {
                if (_time.GetElapsedTime(sent) >= _policy.Ttl - margin)
                {
                    return new FleetException(
                        ExitCodes.Unreachable,
                        $"the lease of {Environment.Name} on {host} may have lapsed: no renewal reached it for {_time.GetElapsedTime(sent).TotalSeconds:0} s (lease {_policy.Ttl.TotalSeconds:0} s), so another run may have taken it. The run stopped before its next step.",
                        $"Check 'teafleet status {Environment.Name}', then continue with 'teafleet resume {RunId}'.");
                }
            }

            return null;
        }
    }

    /// <summary>Stops renewing and releases the lease on every host that granted it (best effort, bounded in time, even after Ctrl+C).</summary>
    public async Task ReleaseAsync()
    {
        string[] hosts;
        lock (_gate)
        {
            if (_released)
            {
                return;
            }

            _released = true;
            hosts = [.. _renewedAt.Keys];
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _renewal.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The renewal loop ends by cancellation.
        }

        using var timeout = new CancellationTokenSource(ReleaseTimeout, _time);
        foreach (var name in hosts)
        {
            var host = Environment.Hosts.First(h => h.Name == name);
            try
            {
                await _calls.ReleaseAsync(host, new ReleaseLeaseRequest { RunId = RunId }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FleetException or OperationCanceledException)
            {
                // It lapses by itself after its ttl.
                Serilog.Log.Warning(e, "Could not release the lease of run {RunId} on {Host}; it lapses by itself", RunId, name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Renewed(string host, long sent)
    {
        lock (_gate)
        {
            _renewedAt[host] = sent;
        }
    }

    private void Lost(string message, int exitCode)
    {
        lock (_gate)
        {
            _lost ??= message;
            _lostExitCode = exitCode;
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, _policy.RenewEvery.Ticks));
        var delay = _policy.RenewEvery;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = _policy.RenewEvery;
            foreach (var host in Environment.Hosts)
            {
                var sent = _time.GetTimestamp();
                try
                {
                    await _calls.RenewAsync(host, new RenewLeaseRequest { RunId = RunId, Ttl = Duration.FromTimeSpan(_policy.Ttl) }, cancellationToken).ConfigureAwait(false);
                    Renewed(host.Name, sent);
                }
                catch (HostBusyException e)
                {
                    Lost($"the lease of {Environment.Name} on {host.Name} was taken over: {e.AgentMessage}", ExitCodes.HostBusy);
                    return;
                }
                catch (AgentUnreachableException e)
                {
                    // Not lost yet: Check() tells when it may have lapsed. Try again soon.
                    Serilog.Log.Warning("Renewing the lease of run {RunId} on {Host} failed: {Reason}; trying again in {Retry}", RunId, host.Name, e.Reason, retry);
                    delay = retry;
                }
                catch (FleetException e)
                {
                    Lost($"the lease of {Environment.Name} on {host.Name} could not be renewed: {e.Message}", ExitCodes.OperationFailed);
                    return;
                }
            }
        }
    }

    /// <summary>The refusal, said from the holder's lease when the host can still tell it, else in the agent's words.</summary>
    private static async Task<EnvironmentHeldException> HeldAsync(ILeaseCalls calls, HostConfig host, string runId, HostBusyException busy, CancellationToken cancellationToken)
    {
        Lease? held = null;
        try
        {
            held = await calls.GetAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            // Say it in the agent's words below.
        }

        return held is { Held: true } lease && lease.RunId != runId
            ? new EnvironmentHeldException(
                LeaseText.Held(lease),
                $"Nothing was changed. Wait for run {lease.RunId} to end (follow it with 'teafleet status {lease.Environment}'); if its controller died, the lease lapses by itself.")
            : new EnvironmentHeldException(
                $"{host.Environment} cannot be held: {busy.AgentMessage}",
                "Nothing was changed. Wait for that operation to finish, then run again.");
    }
}
