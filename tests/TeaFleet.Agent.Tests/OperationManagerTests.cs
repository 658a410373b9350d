using Grpc.Core;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations;

namespace TeaFleet.Agent.Tests;

public sealed class OperationManagerTests
{
    private static OperationHeader Header(string id) => new(id, RequestedBy: "alice");

    private static async Task<List<OperationEvent>> DrainAsync(OperationRecord record, long after = 0)
    {
        var events = new List<OperationEvent>();
        await foreach (var evt in record.WatchAsync(after, TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }

    [Fact]
    public async Task The_same_operation_id_twice_runs_the_body_once_and_both_callers_see_the_same_events()
    {
        using var agent = new TestAgent();
        var runs = 0;
        OperationBody body = async context =>
        {
            Interlocked.Increment(ref runs);
            await context.StepAsync("work", "do it", () => Task.FromResult("done"));
            return null;
        };

        var first = agent.Manager.Start(Header("op-1"), "test.kind", "", "tester", body);
        var firstEvents = await DrainAsync(first);
        var second = agent.Manager.Start(Header("op-1"), "test.kind", "", "tester", body);
        var secondEvents = await DrainAsync(second);

        Assert.Equal(1, runs);
        Assert.Same(first, second);
        Assert.Equal(firstEvents.Select(e => e.Sequence), secondEvents.Select(e => e.Sequence));
        Assert.True(secondEvents[^1].Final);
        Assert.Equal(OperationPhase.Succeeded, secondEvents[^1].Phase);
    }

    [Fact]
    public async Task A_second_mutating_operation_is_refused_with_the_lock_holder_while_the_first_runs()
    {
        using var agent = new TestAgent();
        var release = new TaskCompletionSource();
        var first = agent.Manager.Start(Header("op-a"), "services.recreate", "backend @ abc", "operator", async _ =>
        {
            await release.Task;
            return null;
        });

        var refused = Assert.Throws<AgentException>(() => agent.Manager.Start(Header("op-b"), "services.stop", "", "operator", _ => Task.FromResult<IReadOnlyDictionary<string, string>?>(null)));

        Assert.Equal(StatusCode.Aborted, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(refused.Kind));
        Assert.Contains("op-a", refused.Message);
        Assert.Contains("alice", refused.Message);
        Assert.Contains("since", refused.Message);
        release.SetResult();
        await DrainAsync(first);
        Assert.False(agent.Lock.Snapshot().Held);
    }

    [Fact]
    public async Task Watching_after_a_sequence_continues_without_gaps()
    {
        using var agent = new TestAgent();
        var record = agent.Manager.Start(Header("op-watch"), "test.kind", "", "tester", async context =>
        {
            for (var i = 0; i < 5; i++)
            {
                context.Log("loop", $"line {i}");
                await Task.Yield();
            }

            return null;
        });

        var all = await DrainAsync(record);
        var rest = await DrainAsync(record, after: 3);

        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal(all.Skip(3).Select(e => e.Sequence), rest.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_watcher_that_catches_the_end_between_two_reads_still_gets_every_event_to_the_final_one()
    {
        using var agent = new TestAgent();
        for (var run = 0; run < 100; run++)
        {
            var record = agent.Manager.Start(Header($"op-race-{run}"), "test.kind", "", "tester", async context =>
            {
                context.Log("loop", "one");
                await Task.Yield();
                context.Log("loop", "two");
                return null;
            });

            var events = await DrainAsync(record);

            Assert.Equal(Enumerable.Range(1, 4).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.True(events[^1].Final);
        }
    }

    [Fact]
    public async Task An_operation_cut_short_by_a_crash_is_reported_interrupted_after_a_restart()
    {
        var agent = new TestAgent();
        var never = new TaskCompletionSource();
        var record = agent.Manager.Start(Header("op-crash"), "services.recreate", "backend", "tester", async context =>
        {
            context.Report("recreate", OperationPhase.Started, "recreating");
            await never.Task;
            return null;
        });
        while (record.Snapshot().LastSequence < 2)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var restarted = agent.Restart();
        var reloaded = restarted.Manager.Get("op-crash");
        var events = await DrainAsync(reloaded);

        Assert.Equal(OperationState.Interrupted, reloaded.Snapshot().State);
        Assert.Equal("recreate", events[1].Step);
        Assert.True(events[^1].Final);
        Assert.Contains("interrupted", events[^1].Message);
        Assert.False(restarted.Lock.Snapshot().Held);
        restarted.Dispose();
    }

    [Fact]
    public async Task A_finished_operation_is_watched_from_its_journal_after_a_restart_with_every_event()
    {
        var agent = new TestAgent();
        var record = agent.Manager.Start(Header("op-done"), "test.kind", "", "tester", async context =>
        {
            for (var i = 0; i < 4; i++)
            {
                context.Log("loop", $"line {i}");
                await Task.Yield();
            }

            return new Dictionary<string, string> { ["commit"] = "abc" };
        });
        var before = await DrainAsync(record);

        var restarted = agent.Restart();
        var reloaded = restarted.Manager.Get("op-done");
        var after = await DrainAsync(reloaded);
        var tail = await DrainAsync(reloaded, after: 4);

        Assert.Equal(OperationState.Succeeded, reloaded.Snapshot().State);
        Assert.Equal(before.Count, reloaded.Snapshot().LastSequence);
        Assert.Equal(before.Select(e => (e.Sequence, e.Message)), after.Select(e => (e.Sequence, e.Message)));
        Assert.Equal("abc", after[^1].Data["commit"]);
        Assert.Equal(before.Skip(4).Select(e => e.Sequence), tail.Select(e => e.Sequence));
        restarted.Dispose();
    }

    [Fact]
    public async Task An_agent_killed_between_the_final_event_and_the_info_line_reports_the_real_end_not_interrupted()
    {
        var agent = new TestAgent();
        var record = agent.Manager.Start(Header("op-late"), "test.kind", "", "tester", _ => Task.FromResult<IReadOnlyDictionary<string, string>?>(null));
        await DrainAsync(record);
        agent.Journal.Dispose();
        // Cut the last line (the final info line): what a kill -9 right after the final event leaves.
        var path = Path.Combine(agent.StateDir, "operations", "op-late.jsonl");
        var lines = File.ReadAllLines(path);
        Assert.StartsWith("I\t", lines[^1], StringComparison.Ordinal);
        File.WriteAllLines(path, lines[..^1]);

        var restarted = agent.Restart();
        var reloaded = restarted.Manager.Get("op-late");
        var events = await DrainAsync(reloaded);

        Assert.Equal(OperationState.Succeeded, reloaded.Snapshot().State);
        Assert.Equal(OperationPhase.Succeeded, events[^1].Phase);
        Assert.DoesNotContain(events, e => e.Message.Contains("interrupted", StringComparison.Ordinal));
        restarted.Dispose();
    }

    [Fact]
    public void A_bad_operation_id_is_refused_before_anything_runs()
    {
        using var agent = new TestAgent();
        var ran = false;

        var error = Assert.Throws<AgentException>(() => agent.Manager.Start(Header("../etc/passwd"), "test.kind", "", "tester", _ =>
        {
            ran = true;
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(null);
        }));

        Assert.Equal(StatusCode.InvalidArgument, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(error.Kind));
        Assert.False(ran);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(agent.StateDir, "operations")));
    }
}
