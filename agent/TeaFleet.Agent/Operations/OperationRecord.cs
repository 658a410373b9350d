using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Operations;

/// <summary>One operation: what it is, its events so far, and a signal for those who follow it.</summary>
public sealed class OperationRecord
{
    private readonly Lock _gate = new();
    private readonly List<OperationEvent> _events = [];
    private readonly Action<OperationRecord, OperationEvent>? _persist;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OperationRecord(OperationInfo info, IEnumerable<OperationEvent> events, Action<OperationRecord, OperationEvent>? persist)
    {
        Info = info;
        _events.AddRange(events);
        _persist = persist;
    }

    public OperationInfo Info { get; }

    public string Id => Info.OperationId;

    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _events.Count > 0 && _events[^1].Final;
            }
        }
    }

    public OperationInfo Snapshot()
    {
        lock (_gate)
        {
            var info = Info.Clone();
            info.LastSequence = _events.Count;
            return info;
        }
    }

    /// <summary>Appends an event: numbers it, stores it, and wakes every watcher.</summary>
    public OperationEvent Append(OperationEvent evt, Action<OperationInfo>? updateInfo = null)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            if (_events.Count > 0 && _events[^1].Final)
            {
                throw new InvalidOperationException($"Operation {Id} has ended; no event follows its final one.");
            }

            evt.OperationId = Id;
            evt.Sequence = _events.Count + 1;
            updateInfo?.Invoke(Info);
            Info.LastSequence = evt.Sequence;
            _persist?.Invoke(this, evt);
            _events.Add(evt);
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
            List<OperationEvent> batch;
            Task changed;
            lock (_gate)
            {
                batch = next < _events.Count ? _events.GetRange(next, _events.Count - next) : [];
                changed = _changed.Task;
            }

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
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    public static OperationEvent NewEvent(TimeProvider time, string step, OperationPhase phase, string message) => new()
    {
        Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        Step = step,
        Phase = phase,
        Message = message,
        Percent = -1,
    };
}
