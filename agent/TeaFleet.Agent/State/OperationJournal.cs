using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// One file per operation under state/operations: "I" lines carry the operation's info, "E" lines its
/// events, appended as they happen; each line's JSON in format version 2 (VersionedJson), version 1
/// lines (protobuf JSON) of older agents still read. An operation whose file has no final event was
/// cut short by a crash: LoadAll hands back its events so the caller can close it as interrupted.
/// </summary>
public sealed class OperationJournal : IDisposable
{
    private readonly string _dir;
    private readonly ConcurrentDictionary<string, JsonLinesFile> _open = new(StringComparer.Ordinal);
    private readonly ILogger<OperationJournal> _logger;

    public OperationJournal(IOptions<AgentOptions> options, ILogger<OperationJournal> logger)
    {
        _dir = Path.Combine(options.Value.StateDir, "operations");
        _logger = logger;
        Directory.CreateDirectory(_dir);
    }

    /// <summary>
    /// Reads every operation on disk. A finished one comes back with only its info (its last "I"
    /// line); its events are read again when someone watches it. One without a final event comes back
    /// with its events.
    /// </summary>
    public IEnumerable<JournalEntry> LoadAll()
    {
        foreach (var path in Directory.EnumerateFiles(_dir, "*.jsonl"))
        {
            OperationInfo? info = null;
            foreach (var line in JsonLinesFile.ReadLines(path))
            {
                if (line.StartsWith("I\t", StringComparison.Ordinal) &&
                    VersionedJson.Read(line[2..], StateJsonContext.Default.OperationInfo, LegacyFormat.OperationInfo, _logger, path) is { } parsed)
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
                yield return new JournalEntry(info, null);
                continue;
            }

            var events = ReadEventsAt(path);
            if (events.Count > 0 && events[^1].Final)
            {
                // The final event was written, the agent died before the info line that follows it.
                var final = events[^1];
                yield return new JournalEntry(info with
                {
                    State = FinalState(final.Phase),
                    EndedAt = final.Time,
                    Message = final.Message,
                    LastSequence = final.Sequence,
                }, null);
                continue;
            }

            yield return new JournalEntry(info, events);
        }
    }

    /// <summary>Starts an operation's file with its info.</summary>
    public void Create(OperationInfo info) => Write(info, null);

    /// <summary>Writes an event (and, when the operation ends, its info) to the operation's file.</summary>
    public void Write(OperationInfo info, OperationEvent? evt)
    {
        var file = _open.GetOrAdd(info.OperationId, id => new JsonLinesFile(PathOf(id)));
        if (evt is not null)
        {
            var important = evt.Phase is not (OperationPhase.Log or OperationPhase.Progress);
            file.Append("E\t" + VersionedJson.Format(evt, StateJsonContext.Default.OperationEvent), durable: important && !evt.Final);
        }

        if (evt is null || evt.Final)
        {
            file.Append("I\t" + VersionedJson.Format(info, StateJsonContext.Default.OperationInfo), durable: true);
        }

        if (evt?.Final == true && _open.TryRemove(info.OperationId, out var done))
        {
            done.Dispose();
        }
    }

    /// <summary>An operation's events from its file, numbered without gaps (a lost line ends the list).</summary>
    public IReadOnlyList<OperationEvent> ReadEvents(string operationId) => ReadEventsAt(PathOf(operationId));

    /// <summary>The state an operation ends in, from the phase of its final event.</summary>
    public static OperationState FinalState(OperationPhase phase) => phase switch
    {
        OperationPhase.Succeeded => OperationState.Succeeded,
        OperationPhase.Cancelled => OperationState.Cancelled,
        _ => OperationState.Failed,
    };

    public void Dispose()
    {
        foreach (var file in _open.Values)
        {
            file.Dispose();
        }
    }

    private string PathOf(string operationId) => Path.Combine(_dir, operationId + ".jsonl");

    private List<OperationEvent> ReadEventsAt(string path)
    {
        var events = new List<OperationEvent>();
        foreach (var line in JsonLinesFile.ReadLines(path))
        {
            if (line.StartsWith("E\t", StringComparison.Ordinal) &&
                VersionedJson.Read(line[2..], StateJsonContext.Default.OperationEvent, LegacyFormat.OperationEvent, _logger, path) is { } evt)
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
}
