using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Leases;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations;

/// <summary>
/// Starts operations under caller-chosen ids and keeps them: the same id again attaches to the
/// existing operation instead of running it twice; operations run independently of the call that
/// started them; mutating ones hold the host lock while they run, and start only if the environment
/// lease (when one is held) belongs to their run.
/// </summary>
public sealed partial class OperationManager : IDisposable
{
    private readonly ConcurrentDictionary<string, OperationRecord> _operations = new(StringComparer.Ordinal);
    private readonly OperationJournal _journal;
    private readonly HostLock _hostLock;
    private readonly LeaseKeeper _leases;
    private readonly TimeProvider _time;
    private readonly ILogger<OperationManager> _logger;
    private readonly string _hostName;
    private readonly Lock _startGate = new();

    public OperationManager(OperationJournal journal, HostLock hostLock, LeaseKeeper leases, IOptions<AgentOptions> options, TimeProvider time, ILogger<OperationManager> logger)
    {
        _journal = journal;
        _hostLock = hostLock;
        _leases = leases;
        _time = time;
        _logger = logger;
        _hostName = options.Value.HostName;
        foreach (var entry in journal.LoadAll())
        {
            var record = entry.UnfinishedEvents is { } events
                ? CloseInterrupted(entry.Info, events)
                : OperationRecord.Finished(entry.Info, (int)entry.Info.LastSequence, () => journal.ReadEvents(entry.Info.OperationId));
            _operations[record.Id] = record;
        }
    }

    public string HostName => _hostName;

    /// <summary>The existing operation with this id, if the caller is re-sending one it started before.</summary>
    public OperationRecord? TryAttach(OperationHeader? header, string kind)
    {
        var id = ValidateHeader(header);
        if (!_operations.TryGetValue(id, out var existing))
        {
            return null;
        }

        if (existing.Info.Kind != kind)
        {
            throw AgentException.Invalid(
                $"operation id {id} is already used by a {existing.Info.Kind} operation; choose a new id for a {kind} operation");
        }

        return existing;
    }

    /// <summary>
    /// Starts an operation, or returns the existing one with that id (attaching is always allowed). Throws
    /// Busy when another run holds the environment lease or another mutating operation holds the host.
    /// </summary>
    public OperationRecord Start(OperationHeader? header, string kind, string summary, string caller, OperationBody body)
    {
        var id = ValidateHeader(header);
        lock (_startGate)
        {
            var existing = TryAttach(header, kind);
            if (existing is not null)
            {
                return existing;
            }

            var holder = string.IsNullOrWhiteSpace(header!.RequestedBy) ? caller : $"{header.RequestedBy} ({caller})";
            // The one place every mutating entry point passes: the lease check and the host lock, together.
            var acquired = false;
            var current = LockInfo.Free;
            _leases.Admit(id, () => acquired = _hostLock.TryAcquire(id, kind, holder, out current));
            if (!acquired)
            {
                var since = current.Since ?? _time.GetUtcNow();
                var age = _time.GetUtcNow() - since;
                throw AgentException.Busy(
                    $"host {_hostName} is busy: operation {current.OperationId} ({current.Kind}) held by {current.Holder} since {since:yyyy-MM-dd HH:mm:ss}Z ({age.TotalSeconds:0} s ago). " +
                    $"Wait for it to finish, or follow it with `teafleet watch {_hostName} {current.OperationId}`.");
            }

            OperationRecord record;
            try
            {
                var info = new OperationInfo
                {
                    OperationId = id,
                    Kind = kind,
                    State = OperationState.Running,
                    RequestedBy = holder,
                    RunId = header.RunId,
                    StartedAt = _time.GetUtcNow(),
                    Summary = summary,
                };
                _journal.Create(info);
                record = new OperationRecord(info, [], _journal.Write, () => _journal.ReadEvents(id));
            }
            catch
            {
                _hostLock.Release(id);
                throw;
            }

            _operations[id] = record;
            var context = new OperationContext(record, _hostName, _time, record.Cancellation.Token);
            _ = Task.Run(() => RunAsync(record, context, body));
            return record;
        }
    }

    public OperationRecord Get(string operationId)
    {
        if (!OperationIds.IsValid(operationId))
        {
            throw AgentException.Invalid($"operation id '{operationId}' is not valid: use {OperationIds.Describe}");
        }

        return _operations.TryGetValue(operationId, out var record)
            ? record
            : throw AgentException.NotFound($"host {_hostName} has no operation {operationId}; list them with `teafleet status` or check the id");
    }

    public IReadOnlyList<OperationInfo> List(int limit) =>
        _operations.Values.Select(r => r.Snapshot()).OrderByDescending(i => i.StartedAt).Take(limit).ToList();

    /// <summary>Who holds the host lock now.</summary>
    public LockInfo Lock() => _hostLock.Snapshot();

    public OperationRecord Cancel(string operationId)
    {
        var record = Get(operationId);
        if (!record.IsFinished)
        {
            record.Cancellation.Cancel();
        }

        return record;
    }

    public void Dispose()
    {
        foreach (var record in _operations.Values)
        {
            record.Cancellation.Dispose();
        }
    }

    private static string ValidateHeader(OperationHeader? header)
    {
        if (header is null || string.IsNullOrEmpty(header.OperationId))
        {
            throw AgentException.Invalid("the request has no operation id: every mutating call needs header.operation_id chosen by the caller");
        }

        if (!OperationIds.IsValid(header.OperationId))
        {
            throw AgentException.Invalid($"operation id '{header.OperationId}' is not valid: use {OperationIds.Describe}");
        }

        return header.OperationId;
    }

    private async Task RunAsync(OperationRecord record, OperationContext context, OperationBody body)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["OperationId"] = record.Id, ["Host"] = _hostName });
        LogStarted(record.Id, record.Info.Kind, record.Info.Summary);
        OperationEvent final;
        try
        {
            context.Report("", OperationPhase.Started, $"{record.Info.Kind} {record.Info.Summary}".Trim());
            var data = await body(context);
            final = OperationRecord.NewEvent(_time, "", OperationPhase.Succeeded, $"{record.Info.Kind} succeeded") with
            {
                Data = new Dictionary<string, string>(data ?? new Dictionary<string, string>()),
            };
        }
        catch (OperationCanceledException) when (record.Cancellation.IsCancellationRequested)
        {
            final = OperationRecord.NewEvent(_time, "", OperationPhase.Cancelled, $"{record.Info.Kind} cancelled on request");
        }
        catch (StepFailedException ex)
        {
            final = OperationRecord.NewEvent(_time, "", OperationPhase.Failed, $"{record.Info.Kind} failed at step {ex.Step}: {ex.Message}") with
            {
                Data = new Dictionary<string, string>(ex.Results ?? new Dictionary<string, string>()) { [OperationResultKeys.FailedStep] = ex.Step },
            };
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Operation {OperationId} failed unexpectedly", record.Id);
            final = OperationRecord.NewEvent(_time, "", OperationPhase.Failed, $"{record.Info.Kind} failed: {ex.Message}");
        }

        final = final with { Host = _hostName, Final = true };
        // Free the host before the final event is visible: a caller that sees the end may start the next operation at once.
        _hostLock.Release(record.Id);
        try
        {
            record.Append(final, info => info with
            {
                State = OperationJournal.FinalState(final.Phase),
                EndedAt = final.Time,
                Message = final.Message,
            });
        }
        finally
        {
            LogFinished(record.Id, record.Info.Kind, final.Phase, final.Message);
        }

        // The agent idles between operations for days: give what the operation used back to the OS at
        // once (the idle trimmer catches what the calls around it allocate).
        if (_hostLock.Snapshot().Held == false)
        {
            AgentMemory.Trim();
        }
    }

    /// <summary>An operation the journal holds without a final event: the agent died while it ran. Closed, so watchers always see an end.</summary>
    private OperationRecord CloseInterrupted(OperationInfo info, IReadOnlyList<OperationEvent> events)
    {
        var record = new OperationRecord(info, events, _journal.Write, () => _journal.ReadEvents(info.OperationId));
        var evt = OperationRecord.NewEvent(_time, "", OperationPhase.Failed,
            "interrupted: the agent stopped while this operation ran; check the host's state (teafleet status) before running it again") with
        {
            Host = _hostName,
            Final = true,
        };
        record.Append(evt, i => i with
        {
            State = OperationState.Interrupted,
            EndedAt = evt.Time,
            Message = evt.Message,
        });
        return record;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Operation {OperationId} ({Kind}) started: {Summary}")]
    private partial void LogStarted(string operationId, string kind, string summary);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Operation {OperationId} ({Kind}) ended {Phase}: {Message}")]
    private partial void LogFinished(string operationId, string kind, OperationPhase phase, string message);
}
