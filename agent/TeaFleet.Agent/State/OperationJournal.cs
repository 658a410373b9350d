using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.State;

/// <summary>
/// One file per operation under state/operations: "I" lines carry the operation's info, "E" lines its
/// events, appended as they happen. An operation whose file has no final event was cut short by a
/// crash: on load it gets a final "interrupted" event, so watchers always see an end.
/// </summary>
public sealed class OperationJournal : IDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly string _dir;
    private readonly ConcurrentDictionary<string, JsonLinesFile> _open = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<OperationJournal> _logger;

    public OperationJournal(IOptions<AgentOptions> options, TimeProvider time, ILogger<OperationJournal> logger)
    {
        _dir = Path.Combine(options.Value.StateDir, "operations");
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(_dir);
    }

    /// <summary>
    /// Reads every operation on disk. A finished one keeps only its info (its last "I" line); its
    /// events are read again when someone watches it. One without a final event is closed as interrupted.
    /// </summary>
    public IEnumerable<OperationRecord> LoadAll(string hostName)
    {
        foreach (var path in Directory.EnumerateFiles(_dir, "*.jsonl"))
        {
            OperationInfo? info = null;
            foreach (var line in JsonLinesFile.ReadLines(path))
            {
                if (line.StartsWith("I\t", StringComparison.Ordinal) && TryParse<OperationInfo>(line, path) is { } parsed)
                {
                    info = parsed;
                }
            }

            if (info is null)
            {
                continue;
            }

            if (info.State != OperationState.Running)
            {
                // The final "I" line is written after the final event: the operation ended and its count is known.
                yield return OperationRecord.Finished(info, (int)info.LastSequence, () => ReadEvents(path));
                continue;
            }

            var events = ReadEvents(path);
            if (events.Count > 0 && events[^1].Final)
            {
                // The final event was written, the agent died before the info line that follows it.
                var final = events[^1];
                info.State = OperationRecord.FinalState(final.Phase);
                info.EndedAt = final.Time;
                info.Message = final.Message;
                info.LastSequence = final.Sequence;
                yield return OperationRecord.Finished(info, events.Count, () => ReadEvents(path));
                continue;
            }

            // No final event: the agent died while it ran. Close it, so watchers always see an end.
            var record = new OperationRecord(info, events, Persist, () => ReadEvents(path));
            var evt = OperationRecord.NewEvent(_time, "", OperationPhase.Failed,
                "interrupted: the agent stopped while this operation ran; check the host's state (teafleet status) before running it again");
            evt.Host = hostName;
            evt.Final = true;
            record.Append(evt, i =>
            {
                i.State = OperationState.Interrupted;
                i.EndedAt = evt.Time;
                i.Message = evt.Message;
            });
            yield return record;
        }
    }

    public OperationRecord Create(OperationInfo info)
    {
        var path = Path.Combine(_dir, info.OperationId + ".jsonl");
        var record = new OperationRecord(info, [], Persist, () => ReadEvents(path));
        Persist(record, null);
        return record;
    }

    public void Dispose()
    {
        foreach (var file in _open.Values)
        {
            file.Dispose();
        }
    }

    /// <summary>Writes an event (and, when the operation ends or starts, its info) to the operation's file.</summary>
    private void Persist(OperationRecord record, OperationEvent? evt)
    {
        var file = _open.GetOrAdd(record.Id, id => new JsonLinesFile(Path.Combine(_dir, id + ".jsonl")));
        if (evt is not null)
        {
            var important = evt.Phase is not (OperationPhase.Log or OperationPhase.Progress);
            file.Append("E\t" + JsonFormatter.Default.Format(evt), durable: important && !evt.Final);
        }

        if (evt is null || evt.Final)
        {
            file.Append("I\t" + JsonFormatter.Default.Format(record.Info), durable: true);
        }

        if (evt?.Final == true)
        {
            if (_open.TryRemove(record.Id, out var done))
            {
                done.Dispose();
            }
        }
    }

    /// <summary>An operation's events from its file, numbered without gaps (a lost line ends the list).</summary>
    private List<OperationEvent> ReadEvents(string path)
    {
        var events = new List<OperationEvent>();
        foreach (var line in JsonLinesFile.ReadLines(path))
        {
            if (line.StartsWith("E\t", StringComparison.Ordinal) && TryParse<OperationEvent>(line, path) is { } evt)
            {
                if (evt.Sequence != events.Count + 1)
                {
                    break;
                }

                events.Add(evt);
            }
        }

        return events;
    }

    private T? TryParse<T>(string line, string path)
        where T : class, IMessage<T>, new()
    {
        try
        {
            return Parser.Parse<T>(line[2..]);
        }
        catch (InvalidProtocolBufferException ex)
        {
            _logger.LogWarning(ex, "Skipping an unreadable journal line in {Path}", path);
            return null;
        }
    }

    internal static Timestamp Now(TimeProvider time) => Timestamp.FromDateTimeOffset(time.GetUtcNow());
}
