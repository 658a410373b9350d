using TeaFleet.Agent.State;

namespace TeaFleet.Agent;

/// <summary>
/// The agent idles for days between bursts of work. Once it has been quiet for a moment after calls
/// (none in flight, the host lock free), a compacting collection gives what the burst allocated back
/// to the OS; an operation trims at its own end too (OperationManager). Without this, what a few
/// status reads allocated (~9 MB, measured) stayed resident until the next collection, which an
/// agent that is only read may not reach for hours.
/// </summary>
public sealed class IdleTrimmer : BackgroundService
{
    /// <summary>How long the agent must have been quiet before it trims.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly HostLock _hostLock;
    private readonly TimeProvider _time;
    private int _inFlight;
    private long _lastActivity;
    // Start-up (configuration, certificates, the journal) is the first burst.
    private int _dirty = 1;

    public IdleTrimmer(HostLock hostLock, TimeProvider time)
    {
        _hostLock = hostLock;
        _time = time;
        _lastActivity = time.GetTimestamp();
    }

    /// <summary>A call began (the middleware's side; every Enter has an Exit).</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _dirty, 1);
    }

    /// <summary>A call ended.</summary>
    public void Exit()
    {
        Volatile.Write(ref _lastActivity, _time.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Trims when there was work since the last trim and the agent is quiet now; says whether it did.</summary>
    public bool TrimIfQuiet()
    {
        if (Volatile.Read(ref _dirty) == 0 || Volatile.Read(ref _inFlight) > 0 || _hostLock.Snapshot().Held ||
            _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) < Quiet)
        {
            return false;
        }

        Volatile.Write(ref _dirty, 0);
        AgentMemory.Trim();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Quiet, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                TrimIfQuiet();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The agent is stopping.
        }
    }
}
