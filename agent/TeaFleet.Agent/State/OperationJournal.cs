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

    /// <summary>Reads every operation on disk; ones without a final event are closed as interrupted.</summary>
    public IEnumerable<OperationRecord> LoadAll(string hostName)
    {
        foreach (var path in Directory.EnumerateFiles(_dir, "*.jsonl"))
        {
            OperationInfo? info = null;
            var events = new List<OperationEvent>();
            foreach (var line in JsonLinesFile.ReadLines(path))
            {
                try
                {
                    if (line.StartsWith("I\t", StringComparison.Ordinal))
                    {
                        info = Parser.Parse<OperationInfo>(line[2..]);
                    }
                    else if (line.StartsWith("E\t", StringComparison.Ordinal))
                    {
                        events.Add(Parser.Parse<OperationEvent>(line[2..]));
                    }
                }
                catch (InvalidProtocolBufferException ex)
                {
                    _logger.LogWarning(ex, "Skipping an unreadable journal line in {Path}", path);
                }
            }

            if (info is null)
            {
                continue;
            }

            // Keep the numbering gap-free even if a line was lost.
            events = events.Where((e, i) => e.Sequence == i + 1).ToList();
            var record = new OperationRecord(info, events, Persist);
            if (!record.IsFinished)
            {
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
            }

            yield return record;
        }
    }

    public OperationRecord Create(OperationInfo info)
    {
        var record = new OperationRecord(info, [], Persist);
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

    internal static Timestamp Now(TimeProvider time) => Timestamp.FromDateTimeOffset(time.GetUtcNow());
}
