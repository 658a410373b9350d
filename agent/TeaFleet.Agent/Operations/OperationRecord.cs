using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations;

/// <summary>
/// One operation: what it is, its events so far, and a signal for those who follow it. A finished
/// operation keeps only its info in memory; its events are read back from the journal when someone
/// watches it (an agent with months of history must not hold every event of every operation).
/// </summary>
public sealed class OperationRecord
{
    private readonly Lock _gate = new();
    private readonly Action<OperationInfo, OperationEvent>? _persist;
    private readonly Func<IReadOnlyList<OperationEvent>> _reload;

    // The events of a running operation; null once it has finished (they are in the journal then).
    private List<OperationEvent>? _events;
    private int _count;
    private OperationInfo _info;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="info">The operation's info.</param>
    /// <param name="events">Its events so far (none of them final).</param>
    /// <param name="persist">Writes each appended event, with the info as it is after it, to the journal.</param>
    /// <param name="reload">Reads the events back from the journal once the operation has finished.</param>
    public OperationRecord(OperationInfo info, IEnumerable<OperationEvent> events, Action<OperationInfo, OperationEvent>? persist, Func<IReadOnlyList<OperationEvent>> reload)
    {
        _info = info;
        _events = [.. events];
        _count = _events.Count;
        _persist = persist;
        _reload = reload;
    }

    /// <summary>A finished operation whose events stay in the journal until someone asks for them.</summary>
    public static OperationRecord Finished(OperationInfo info, int eventCount, Func<IReadOnlyList<OperationEvent>> reload) =>
        new(info, [], null, reload) { _events = null, _count = eventCount };

    public OperationInfo Info
    {
        get
        {
            lock (_gate)
            {
                return _info;
            }
        }
    }

    public string Id => _info.OperationId;

    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _events is null;
            }
        }
    }

    public OperationInfo Snapshot()
    {
        lock (_gate)
        {
            return _info with { LastSequence = _count };
        }
    }

    /// <summary>Appends an event: numbers it, stores it, and wakes every watcher.</summary>
    public OperationEvent Append(OperationEvent evt, Func<OperationInfo, OperationInfo>? updateInfo = null)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            if (_events is null)
            {
                throw new InvalidOperationException($"Operation {Id} has ended; no event follows its final one.");
            }

            evt = evt with { OperationId = Id, Sequence = _count + 1 };
            _info = (updateInfo?.Invoke(_info) ?? _info) with { LastSequence = evt.Sequence };
            _persist?.Invoke(_info, evt);
            _events.Add(evt);
            _count = _events.Count;
            if (evt.Final)
            {
                _events = null;
            }

            wake = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
        return evt;
    }

    /// <summary>The events after afterSequence, then live ones until the final event.</summary>
    public async IAsyncEnumerable<OperationEvent> WatchAsync(long afterSequence, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = (int)Math.Max(0, afterSequence);
        while (true)
        {
            IReadOnlyList<OperationEvent>? batch;
            Task changed;
            lock (_gate)
            {
                batch = _events is null ? null : next < _events.Count ? _events.GetRange(next, _events.Count - next) : [];
                changed = _changed.Task;
            }

            // Finished: the events are in the journal.
            var fromJournal = batch is null;
            batch ??= [.. _reload().Skip(next)];

            foreach (var evt in batch)
            {
                next++;
                yield return evt;
                if (evt.Final)
                {
                    yield break;
                }
            }

            if (batch.Count == 0)
            {
                if (fromJournal)
                {
                    // The journal has fewer events than the operation had (a lost line): nothing more will come.
                    yield break;
                }

                // Nothing new yet. An event appended since the read above (the final one too) has
                // completed `changed`; the next round reads it, from the journal if the operation ended.
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    public static OperationEvent NewEvent(TimeProvider time, string step, OperationPhase phase, string message) => new()
    {
        Time = time.GetUtcNow(),
        Step = step,
        Phase = phase,
        Message = message,
        Percent = -1,
    };
}
