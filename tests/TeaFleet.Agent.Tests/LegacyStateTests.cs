using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// State written by agents before format version 2 (protobuf JSON of the wire types, produced here
/// with Google.Protobuf's JsonFormatter exactly as those agents wrote it) still loads, every field
/// intact: compared through the Grpc/ mappers with the wire records that were written.
/// </summary>
public sealed class LegacyStateTests
{
    // Sub-millisecond times: a Timestamp holds nanoseconds, JsonFormatter writes nine digits.
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);

    private static Timestamp At(double seconds) => Timestamp.FromDateTimeOffset(T0.AddTicks((long)(seconds * TimeSpan.TicksPerSecond) + 1234));

    private static string Format(IMessage message) => JsonFormatter.Default.Format(message);

    private static string NewStateDir() => Directory.CreateTempSubdirectory("teafleet-legacy-state-").FullName;

    [Fact]
    public void An_old_ledger_loads_with_every_field_of_every_release()
    {
        var stateDir = NewStateDir();
        var first = new Release
        {
            Id = 1, Commit = new string('a', 40), Kind = "deploy", RequestedBy = "alice via teafleet deploy", Reason = "release 1.4",
            OperationId = "run-1.recreate.prod-1", RunId = "run-1", StartedAt = At(0), EndedAt = At(42.5), Result = ReleaseResult.Succeeded,
            Message = "deploy of backend,worker to aaaaaaa succeeded", PreviousCommit = new string('0', 40), Built = true, MigrationHead = "0002_teams",
            Services = { "backend", "worker" },
            Images = { ["backend"] = "tea-backend:" + new string('a', 40), ["worker"] = "tea-worker:" + new string('a', 40) },
        };
        var second = new Release
        {
            Id = 2, Commit = new string('b', 40), Kind = "rollback", StartedAt = At(100), EndedAt = At(130), Result = ReleaseResult.Failed,
            Message = "backend is exited", PreviousCommit = new string('a', 40), Services = { "backend" },
        };
        var snapshotOfFirstInProgress = new Release { Id = 1, Commit = first.Commit, Kind = "deploy", StartedAt = At(0), Result = ReleaseResult.InProgress };
        File.WriteAllLines(Path.Combine(stateDir, "ledger.jsonl"), [Format(snapshotOfFirstInProgress), Format(first), Format(second)]);

        using var restarted = new TestAgent(stateDir);

        var releases = restarted.Ledger.List(10);
        Assert.Equal([second, first], releases.Select(ReleaseWire.ToWire));
        Assert.Equal(first.Commit, restarted.Ledger.Current()!.Commit);
        Assert.Equal(3, restarted.Ledger.Begin(new Model.Release { Commit = new string('c', 40) }).Id);
    }

    [Fact]
    public void A_release_in_progress_in_an_old_ledger_is_marked_interrupted_and_the_file_then_reads_both_formats()
    {
        var stateDir = NewStateDir();
        var running = new Release { Id = 7, Commit = new string('d', 40), Kind = "deploy", StartedAt = At(0), Result = ReleaseResult.InProgress, Services = { "backend" } };
        var path = Path.Combine(stateDir, "ledger.jsonl");
        File.WriteAllLines(path, [Format(running)]);

        using (var restarted = new TestAgent(stateDir))
        {
            Assert.Equal(Model.ReleaseResult.Interrupted, restarted.Ledger.List(1)[0].Result);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(Format(running), lines[0]);
        Assert.StartsWith("{\"v\":2,\"id\":7,\"commit\":\"dddd", lines[1], StringComparison.Ordinal);
        using var again = new TestAgent(stateDir);
        var release = Assert.Single(again.Ledger.List(10));
        Assert.Equal(Model.ReleaseResult.Interrupted, release.Result);
        Assert.Equal(["backend"], release.Services);
        Assert.Equal(T0.AddTicks(1234), release.StartedAt);
    }

    [Fact]
    public void An_old_backup_catalogue_loads_with_every_field_and_its_deletions()
    {
        var dir = Directory.CreateTempSubdirectory("teafleet-legacy-backups-").FullName;
        try
        {
            var full = new Backup
            {
                Id = "20261120-140000-full", TakenAt = At(0), Kind = BackupKind.Full, Format = BackupFormat.Custom, SizeBytes = 123_456_789_012,
                Sha256 = new string('e', 64), ReleaseCommit = new string('a', 40), MigrationHead = "0002_teams", VerifyState = VerifyState.Verified,
                VerifiedAt = At(60), VerifyMessage = "", FileName = "20261120-140000-full.dump", RequestedBy = "bob", Reason = "before the release",
                OperationId = "run-2.backup.prod-1", DatabaseSizeBytes = 987_654_321_098,
            };
            var failed = new Backup
            {
                Id = "20261120-150000-quick", TakenAt = At(3600), Kind = BackupKind.Quick, Format = BackupFormat.Custom, SizeBytes = 10,
                VerifyState = VerifyState.Failed, VerifiedAt = At(3700), VerifyMessage = "its sha256 is 0000…", FileName = "20261120-150000-quick.dump",
            };
            var deleted = new Backup { Id = "20261119-000000-quick", TakenAt = At(-86400), Kind = BackupKind.Quick, Format = BackupFormat.Custom, FileName = "x.dump" };
            var unverified = full.Clone();
            unverified.VerifyState = VerifyState.Unverified;
            unverified.VerifiedAt = null;
            File.WriteAllLines(Path.Combine(dir, "catalogue.jsonl"),
                ["B\t" + Format(deleted), "B\t" + Format(unverified), "B\t" + Format(full), "B\t" + Format(failed), "D\t" + deleted.Id]);

            using var catalogue = new BackupCatalogue(
                Microsoft.Extensions.Options.Options.Create(new AgentOptions { HostName = "db-1", BackupDir = dir, Database = new DatabaseOptions { Name = "tea", User = "tea" } }),
                NullLogger<BackupCatalogue>.Instance);

            Assert.Equal([failed, full], catalogue.List().Select(DatabaseWire.ToWire));
            Assert.Equal(Model.VerifyState.Failed, catalogue.Get(failed.Id).VerifyState);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_finished_operation_in_an_old_journal_is_watched_with_the_same_events_and_info()
    {
        var stateDir = NewStateDir();
        var started = new OperationInfo
        {
            OperationId = "run-3.recreate.prod-1", Kind = "services.recreate", State = OperationState.Running, RequestedBy = "alice (operator)",
            RunId = "run-3", StartedAt = At(0), Summary = "backend @ aaaaaaa",
        };
        var events = new List<OperationEvent>
        {
            Event(started.OperationId, 1, "", OperationPhase.Started, "services.recreate backend @ aaaaaaa"),
            Event(started.OperationId, 2, "checkout", OperationPhase.Started, "check out aaaaaaa"),
            Event(started.OperationId, 3, "checkout", OperationPhase.Log, "HEAD is now at aaaaaaa"),
            Event(started.OperationId, 4, "dump", OperationPhase.Progress, "1.0 MiB written", percent: 50, bytes: 1 << 20),
            Event(started.OperationId, 5, "checkout", OperationPhase.Succeeded, "0000000 → aaaaaaa"),
            Event(started.OperationId, 6, "", OperationPhase.Succeeded, "services.recreate succeeded", final: true, data: new() { ["release_id"] = "4", ["commit"] = new string('a', 40) }),
        };
        var ended = started.Clone();
        ended.State = OperationState.Succeeded;
        ended.EndedAt = events[^1].Time;
        ended.Message = events[^1].Message;
        ended.LastSequence = 6;
        WriteJournal(stateDir, started.OperationId, ["I\t" + Format(started), .. events.Select(e => "E\t" + Format(e)), "I\t" + Format(ended)]);

        using var restarted = new TestAgent(stateDir);
        var record = restarted.Manager.Get(started.OperationId);

        Assert.Equal(ended, OperationWire.ToWire(record.Snapshot()));
        Assert.Equal(events, await WatchAsync(record, 0));
        Assert.Equal(events.Skip(3), await WatchAsync(record, 3));
    }

    [Fact]
    public async Task An_interrupted_operation_in_an_old_journal_keeps_its_events_and_ends_interrupted_also_after_another_restart()
    {
        var stateDir = NewStateDir();
        var started = new OperationInfo
        {
            OperationId = "op-cut", Kind = "database.restore", State = OperationState.Running, RequestedBy = "alice", StartedAt = At(0), Summary = "tea from backup x",
        };
        var events = new List<OperationEvent>
        {
            Event(started.OperationId, 1, "", OperationPhase.Started, "database.restore tea from backup x"),
            Event(started.OperationId, 2, "restore", OperationPhase.Started, "restore x (1.0 MiB) into tea"),
        };
        WriteJournal(stateDir, started.OperationId, ["I\t" + Format(started), .. events.Select(e => "E\t" + Format(e))]);

        List<OperationEvent> seen;
        using (var restarted = new TestAgent(stateDir))
        {
            var record = restarted.Manager.Get("op-cut");
            seen = await WatchAsync(record, 0);
            Assert.Equal(Model.OperationState.Interrupted, record.Snapshot().State);
            Assert.Equal(events, seen.Take(2));
            Assert.Equal(3, seen.Count);
            Assert.True(seen[2].Final);
            Assert.Equal(OperationPhase.Failed, seen[2].Phase);
            Assert.StartsWith("interrupted: the agent stopped while this operation ran", seen[2].Message, StringComparison.Ordinal);
            Assert.Equal("test-1", seen[2].Host);
        }

        using var again = new TestAgent(stateDir);
        var reloaded = again.Manager.Get("op-cut");
        Assert.Equal(Model.OperationState.Interrupted, reloaded.Snapshot().State);
        Assert.Equal(3, reloaded.Snapshot().LastSequence);
        Assert.Equal(seen, await WatchAsync(reloaded, 0));
    }

    private static OperationEvent Event(string operationId, long sequence, string step, OperationPhase phase, string message, double percent = -1, long bytes = 0, bool final = false, Dictionary<string, string>? data = null)
    {
        var evt = new OperationEvent
        {
            OperationId = operationId, Sequence = sequence, Time = At(sequence), Step = step, Phase = phase, Percent = percent, Bytes = bytes,
            Message = message, Host = "prod-1", Final = final,
        };
        evt.Data.Add(data ?? []);
        return evt;
    }

    private static void WriteJournal(string stateDir, string operationId, IEnumerable<string> lines)
    {
        var dir = Directory.CreateDirectory(Path.Combine(stateDir, "operations")).FullName;
        File.WriteAllLines(Path.Combine(dir, operationId + ".jsonl"), lines);
    }

    private static async Task<List<OperationEvent>> WatchAsync(Operations.OperationRecord record, long after)
    {
        var events = new List<OperationEvent>();
        await foreach (var evt in record.WatchAsync(after, TestContext.Current.CancellationToken))
        {
            events.Add(OperationWire.ToWire(evt));
        }

        return events;
    }
}
