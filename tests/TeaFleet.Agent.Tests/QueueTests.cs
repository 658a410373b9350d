using Grpc.Core;
using Grpc.Core.Testing;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Operations.Queue;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>The Queue capability against a real redis-server of the test's own, checked as an operator would with redis-cli.</summary>
public sealed class QueueTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await redis.CliAsync(0, "FLUSHALL");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private QueueOptions Options(int database = 0, string? passwordFile = null, int? port = null) => new()
    {
        Host = "127.0.0.1",
        Port = port ?? redis.Port,
        Database = database,
        PasswordFile = passwordFile ?? redis.PasswordFile(),
        TimeoutSeconds = 5,
        Queues =
        [
            new() { Name = "jobs", Key = "tea:jobs" },
            new() { Name = "scheduled", Key = "tea:scheduled" },
            new() { Name = "rq", Key = "rq:queue:*" },
        ],
    };

    private static QueueOperations Queues(TestAgent agent, QueueOptions queue) =>
        new(agent.Manager, new RedisQueue(Microsoft.Extensions.Options.Options.Create(new AgentOptions { HostName = "test-1", Queue = queue }), new RespClient(TimeProvider.System)));

    private static ServerCallContext Call(string method) => TestServerCallContext.Create(
        method, null, DateTime.UtcNow.AddMinutes(1), [], Ct, "127.0.0.1", null, null,
        _ => Task.CompletedTask, () => new WriteOptions(), _ => { });

    private static async Task<List<M.OperationEvent>> DrainAsync(OperationRecord record)
    {
        var events = new List<M.OperationEvent>();
        await foreach (var evt in record.WatchAsync(0, Ct))
        {
            events.Add(evt);
        }

        return events;
    }

    private async Task FillAsync(int database)
    {
        await redis.CliAsync(database, "RPUSH", "tea:jobs", "j1", "j2", "j3");
        await redis.CliAsync(database, "ZADD", "tea:scheduled", "1", "s1", "2", "s2");
        await redis.CliAsync(database, "RPUSH", "rq:queue:default", "r1", "r2");
        await redis.CliAsync(database, "RPUSH", "rq:queue:high", "r3");
        // What must survive: the app's sessions and caches, and a key that only looks like a queue.
        await redis.CliAsync(database, "SET", "session:abc", "alice");
        await redis.CliAsync(database, "SET", "cache:page:1", "<html>");
        await redis.CliAsync(database, "RPUSH", "rq:queues", "default", "high");
        await redis.CliAsync(database, "SET", "tea:done:7", "{}");
    }

    [Fact]
    public async Task Status_reports_the_type_and_length_of_a_list_a_zset_and_a_pattern_as_redis_cli_counts_them()
    {
        await FillAsync(3);
        using var agent = new TestAgent();
        var service = new QueueService(Queues(agent, Options(database: 3)));

        var status = await service.Status(new QueueStatusRequest(), Call("/teafleet.agent.v1.Queue/Status"));

        Assert.True(status.Configured);
        Assert.True(status.Reachable, status.Error);
        Assert.Equal(3, status.Database);
        Assert.Equal($"127.0.0.1:{redis.Port}", status.Address);
        Assert.Equal(["jobs", "scheduled", "rq"], status.Queues.Select(q => q.Name));
        var jobs = status.Queues[0];
        Assert.Equal((QueueType.List, 3L, 1L, false), (jobs.Type, jobs.Length, jobs.Keys, jobs.Pattern));
        Assert.Equal(await redis.CliAsync(3, "LLEN", "tea:jobs"), jobs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var scheduled = status.Queues[1];
        Assert.Equal((QueueType.Zset, 2L, 1L), (scheduled.Type, scheduled.Length, scheduled.Keys));
        Assert.Equal(await redis.CliAsync(3, "ZCARD", "tea:scheduled"), scheduled.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rq = status.Queues[2];
        Assert.Equal((QueueType.List, 3L, 2L, true, "rq:queue:*"), (rq.Type, rq.Length, rq.Keys, rq.Pattern, rq.Key));
    }

    [Fact]
    public async Task Status_counts_streams_sets_and_hashes_and_reports_an_absent_key_as_an_empty_queue()
    {
        await redis.CliAsync(0, "XADD", "ev:stream", "*", "a", "1");
        await redis.CliAsync(0, "XADD", "ev:stream", "*", "a", "2");
        await redis.CliAsync(0, "SADD", "ev:set", "x", "y", "z");
        await redis.CliAsync(0, "HSET", "ev:hash", "f", "v");
        var options = Options();
        options.Queues =
        [
            new() { Name = "stream", Key = "ev:stream" },
            new() { Name = "set", Key = "ev:set" },
            new() { Name = "hash", Key = "ev:hash" },
            new() { Name = "gone", Key = "ev:nothing" },
            new() { Name = "all", Key = "ev:*" },
        ];
        using var agent = new TestAgent();

        var status = await Queues(agent, options).StatusAsync(Ct);

        Assert.Equal(
            [(M.QueueType.Stream, 2L), (M.QueueType.Set, 3L), (M.QueueType.Hash, 1L), (M.QueueType.None, 0L), (M.QueueType.Mixed, 6L)],
            status.Queues.Select(q => (q.Type, q.Length)));
        Assert.Equal(0, status.Queues[3].Keys);
        Assert.Equal(3, status.Queues[4].Keys);
    }

    [Fact]
    public async Task Flush_removes_exactly_the_configured_keys_in_the_configured_database_and_reports_how_many()
    {
        await FillAsync(2);
        await FillAsync(0);
        using var agent = new TestAgent();
        var queues = Queues(agent, Options(database: 2));

        var record = await queues.FlushAsync(new M.OperationHeader("flush-1", "alice"), [], "tester", Ct);
        var events = await DrainAsync(record);

        var final = events[^1];
        Assert.True(final.Final);
        Assert.Equal(M.OperationPhase.Succeeded, final.Phase);
        Assert.Equal(OperationKinds.QueueFlush, record.Info.Kind);
        Assert.Equal("4", final.Data[OperationResultKeys.KeysRemoved]);
        Assert.Equal("jobs=3,scheduled=2,rq=3", final.Data[OperationResultKeys.QueueLengthsBefore]);
        Assert.Equal("jobs,scheduled,rq", final.Data[OperationResultKeys.Queues]);
        Assert.Equal("2", final.Data[OperationResultKeys.RedisDatabase]);
        Assert.Contains(events, e => e.Step == "remove" && e.Message == "rq: removed 2 key(s) of rq:queue:*");
        // What an operator checks: only the other keys are left in database 2, and database 0 is untouched.
        Assert.Equal(["cache:page:1", "rq:queues", "session:abc", "tea:done:7"], await KeysAsync(2));
        Assert.Equal(["cache:page:1", "rq:queue:default", "rq:queue:high", "rq:queues", "session:abc", "tea:done:7", "tea:jobs", "tea:scheduled"], await KeysAsync(0));
        Assert.Equal("3", await redis.CliAsync(0, "LLEN", "tea:jobs"));
        Assert.Equal("alice", await redis.CliAsync(2, "GET", "session:abc"));
    }

    [Fact]
    public async Task Flush_of_a_named_queue_removes_that_queue_only()
    {
        await FillAsync(0);
        using var agent = new TestAgent();

        var events = await DrainAsync(await Queues(agent, Options()).FlushAsync(new M.OperationHeader("flush-jobs"), ["jobs"], "tester", Ct));

        Assert.Equal("1", events[^1].Data[OperationResultKeys.KeysRemoved]);
        Assert.Equal("jobs=3", events[^1].Data[OperationResultKeys.QueueLengthsBefore]);
        Assert.Equal("0", await redis.CliAsync(0, "EXISTS", "tea:jobs"));
        Assert.Equal("2", await redis.CliAsync(0, "ZCARD", "tea:scheduled"));
        Assert.Equal("2", await redis.CliAsync(0, "LLEN", "rq:queue:default"));
    }

    [Fact]
    public async Task An_unknown_queue_name_is_invalid_names_the_configured_ones_and_removes_nothing()
    {
        await FillAsync(0);
        using var agent = new TestAgent();

        var error = await Assert.ThrowsAsync<AgentException>(() => Queues(agent, Options()).FlushAsync(new M.OperationHeader("flush-x"), ["jobs", "emails"], "tester", Ct));

        Assert.Equal(StatusCode.InvalidArgument, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("'emails'", error.Message);
        Assert.Contains("jobs, scheduled, rq", error.Message);
        Assert.Equal("3", await redis.CliAsync(0, "LLEN", "tea:jobs"));
        Assert.Equal("8", await redis.CliAsync(0, "DBSIZE"));
        Assert.Throws<AgentException>(() => agent.Manager.Get("flush-x"));
    }

    [Fact]
    public async Task A_wrong_password_is_a_precondition_that_says_which_file_and_never_shows_the_password()
    {
        const string wrong = "not-the-password-5f3a9c";
        await FillAsync(0);
        using var agent = new TestAgent();
        var queues = Queues(agent, Options(passwordFile: redis.PasswordFile(wrong)));

        var error = await Assert.ThrowsAsync<AgentException>(() => queues.FlushAsync(new M.OperationHeader("flush-pw"), [], "tester", Ct));
        var status = await queues.StatusAsync(Ct);

        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("refused the password of Agent:Queue:PasswordFile", error.Message);
        Assert.DoesNotContain(wrong, error.Message);
        Assert.DoesNotContain(redis.Password, error.Message);
        Assert.False(status.Reachable);
        Assert.Contains("refused the password", status.Error);
        Assert.DoesNotContain(wrong, status.Error);
        Assert.Equal("3", await redis.CliAsync(0, "LLEN", "tea:jobs"));
    }

    [Fact]
    public async Task No_password_file_for_a_server_that_wants_one_says_to_set_it()
    {
        using var agent = new TestAgent();
        var options = Options();
        options.PasswordFile = "";

        var error = await Assert.ThrowsAsync<AgentException>(() => Queues(agent, options).FlushAsync(new M.OperationHeader("flush-noauth"), [], "tester", Ct));

        Assert.Equal(FailureKind.Precondition, error.Kind);
        Assert.Contains("set Agent:Queue:PasswordFile", error.Message);
    }

    [Fact]
    public async Task Redis_down_is_unavailable_with_what_to_check_and_status_says_it_did_not_answer()
    {
        using var agent = new TestAgent();
        var queues = Queues(agent, Options(port: RedisServer.FreePort()));

        var error = await Assert.ThrowsAsync<AgentException>(() => queues.FlushAsync(new M.OperationHeader("flush-down"), [], "tester", Ct));
        var status = await queues.StatusAsync(Ct);

        Assert.Equal(StatusCode.Unavailable, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("cannot connect to Redis at 127.0.0.1:", error.Message);
        Assert.Contains("check that the redis service runs", error.Message);
        Assert.True(status.Configured);
        Assert.False(status.Reachable);
        Assert.Contains("Agent:Queue:Host and Agent:Queue:Port", status.Error);
        Assert.Throws<AgentException>(() => agent.Manager.Get("flush-down"));
    }

    [Fact]
    public async Task The_password_never_appears_in_the_operations_events_nor_in_its_journal()
    {
        await FillAsync(0);
        using var agent = new TestAgent();

        var record = await Queues(agent, Options()).FlushAsync(new M.OperationHeader("flush-secret"), [], "tester", Ct);
        var events = await DrainAsync(record);

        Assert.Equal(M.OperationPhase.Succeeded, events[^1].Phase);
        var text = string.Join("\n", events.Select(e => e.Message + " " + string.Join(",", e.Data.Select(d => d.Key + "=" + d.Value))));
        Assert.DoesNotContain(redis.Password, text);
        foreach (var file in Directory.EnumerateFiles(agent.StateDir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(redis.Password, await File.ReadAllTextAsync(file, Ct));
        }
    }

    [Fact]
    public void Mask_replaces_the_password_wherever_it_appears()
    {
        Assert.Equal("AUTH ******** failed for ********", RedisQueue.Mask("AUTH s3cret failed for s3cret", "s3cret"));
        Assert.Equal("no password: unchanged", RedisQueue.Mask("no password: unchanged", ""));
    }

    [Fact]
    public async Task Without_a_queue_section_status_says_no_queue_is_configured_and_flush_is_a_precondition()
    {
        using var agent = new TestAgent();
        var queues = Queues(agent, new QueueOptions());

        var status = await queues.StatusAsync(Ct);
        var error = await Assert.ThrowsAsync<AgentException>(() => queues.FlushAsync(new M.OperationHeader("flush-none"), [], "tester", Ct));

        Assert.False(status.Configured);
        Assert.StartsWith("no queue configured", status.Message);
        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("set Agent:Queue", error.Message);
    }

    [Theory]
    [InlineData("*", "literal prefix")]
    [InlineData("[ab]:jobs", "literal prefix")]
    [InlineData("", "is empty")]
    [InlineData("tea jobs", "space")]
    public void A_key_that_could_match_the_whole_database_or_is_not_a_key_is_refused_at_start(string key, string expected)
    {
        var options = new AgentOptions { Queue = new QueueOptions { Queues = [new() { Name = "jobs", Key = key }, new() { Name = "jobs", Key = "x" }] } };

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("Agent:Queue:Queues:0:Key", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Agent:Queue:Queues:1:Name 'jobs' is used twice", StringComparison.Ordinal));
    }

    private async Task<string[]> KeysAsync(int database) =>
        (await redis.CliAsync(database, "--scan")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
}
