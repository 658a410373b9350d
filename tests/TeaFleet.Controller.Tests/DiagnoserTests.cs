using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>The runbook's decision matrix as <see cref="Diagnoser.Decide"/> answers it, one case per scenario.</summary>
public sealed class DiagnoserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static ServiceStatus Up(string name) =>
        new() { Name = name, ContainerId = "c-" + name, State = "running", Health = "healthy", Release = Samples.C2, StartedAt = Timestamp.FromDateTimeOffset(Now.AddHours(-1)) };

    private static ServiceStatus CrashLooping(string name) =>
        new() { Name = name, ContainerId = "c-" + name, State = "restarting", Health = "starting", RestartCount = 7, Release = Samples.C2 };

    private static MigrationStatus Migration(MigrationState state, string db = "0003", string code = "0003", bool failed = false)
    {
        var m = new MigrationStatus { Host = "prod-1", State = state, CodeCommit = Samples.C2, LastUpgradeFailed = failed, LastUpgradeOperationId = failed ? "run.3.prod-1" : "", LastUpgradeMessage = failed ? "alembic exited 1" : "" };
        m.DatabaseHeads.Add(db);
        m.CodeHeads.Add(code);
        return m;
    }

    private static HostLedger Ledger()
    {
        var first = new Release { Id = 1, Commit = Samples.C1, Kind = "deploy", Result = ReleaseResult.Succeeded, MigrationHead = "0003", StartedAt = Timestamp.FromDateTimeOffset(Now.AddDays(-2)) };
        var second = new Release { Id = 2, Commit = Samples.C2, Kind = "deploy", Result = ReleaseResult.Succeeded, MigrationHead = "0003", StartedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)) };
        return new HostLedger("prod-1", [second, first], Samples.C2);
    }

    private static DiagnosisFacts Facts(IEnumerable<ServiceStatus>? prod1 = null, MigrationStatus? migration = null, IReadOnlyList<LogErrors>? logs = null, bool healthOk = true) => new()
    {
        Environment = "production",
        Now = Now,
        DatabaseHost = "prod-1",
        Hosts =
        [
            new HostRead("prod-1", (prod1 ?? [Up("backend"), Up("worker"), Up("frontend")]).ToList(), [], [], null),
            new HostRead("prod-2", [Up("backend"), Up("frontend")], [], [], null),
        ],
        Health = [new HealthAnswer(new Uri("http://10.77.0.21/health"), healthOk, healthOk ? "HTTP 200" : "HTTP 502")],
        Logs = logs ?? [],
        Migration = migration ?? Migration(MigrationState.UpToDate),
        Ledger = Ledger(),
    };

    private static LogErrors Noisy(string service) =>
        LogErrors.Of("prod-1", service, [.. Enumerable.Range(0, 8).Select(i => $"ERROR job {i} failed"), "INFO fine"]);

    [Fact]
    public void A_crash_looping_backend_with_the_database_at_the_codes_head_is_a_Type_1_now()
    {
        var d = Diagnoser.Decide(Facts([CrashLooping("backend"), Up("worker"), Up("frontend")], healthOk: false));

        Assert.Equal("application-crash", d.Main.Id);
        Assert.Equal(Priority.Immediate, d.Main.Priority);
        Assert.Equal("1", d.Main.RollbackType);
        Assert.Equal("teafleet rollback production", d.Main.Command);
        Assert.Contains(d.Main.Reasons, r => r.Contains("backend is down (restarting, restarted 7 time(s))", StringComparison.Ordinal));
        Assert.Contains(d.Facts, f => f is { Host: "prod-1", Kind: "service-down", Problem: true });
        Assert.Equal(ExitCodes.OperationFailed, d.ExitCode);
    }

    [Fact]
    public void A_crash_when_the_last_good_release_has_another_head_is_a_Type_2()
    {
        var facts = Facts([CrashLooping("backend"), Up("worker"), Up("frontend")], Migration(MigrationState.UpToDate, "0004", "0004"));

        var d = Diagnoser.Decide(facts);

        Assert.Equal("application-and-migration", d.Main.Id);
        Assert.Equal("2", d.Main.RollbackType);
        Assert.Equal("teafleet rollback production", d.Main.Command);
    }

    [Fact]
    public void A_crash_takes_the_type_from_the_rollbacks_own_target_and_without_one_says_to_name_it()
    {
        var crash = Facts([CrashLooping("backend"), Up("worker"), Up("frontend")], Migration(MigrationState.UpToDate, "0004", "0004"));

        var type1 = Diagnoser.Decide(crash with { LastGood = new LastGoodRelease(Samples.C1, "default target 1111111: the last good release", 0) });
        var type2 = Diagnoser.Decide(crash with { LastGood = new LastGoodRelease(Samples.C1, "default target 1111111: the last good release", 2) });
        var none = Diagnoser.Decide(crash with { LastGood = new LastGoodRelease(null, "no earlier good release", 0) });

        Assert.Equal(("application-crash", "1", "teafleet rollback production"), (type1.Main.Id, type1.Main.RollbackType, type1.Main.Command));
        Assert.Contains(type1.Main.Reasons, r => r.Contains("the last good release; same database head (Type 1)", StringComparison.Ordinal));
        Assert.Equal(("application-and-migration", "2"), (type2.Main.Id, type2.Main.RollbackType));
        Assert.Contains(type2.Main.Reasons, r => r.Contains("it reverts 2 migration(s) first (Type 2)", StringComparison.Ordinal));
        Assert.Equal("teafleet rollback production --to <commit or tag>", none.Main.Command);
        Assert.Contains("no earlier good release", none.Main.Reasons);
    }

    [Fact]
    public void A_queue_that_grows_between_two_reads_while_everything_runs_is_the_worker_scenario()
    {
        static QueueStatusResponse Queue(long length) => new() { Configured = true, Reachable = true, Queues = { new QueueLength { Name = "jobs", Key = "tea:jobs", Length = length } } };
        var quiet = Facts() with { Queue = Queue(3), QueueAgain = Queue(3), QueueWait = TimeSpan.FromSeconds(5) };
        var growing = quiet with { QueueAgain = Queue(9) };

        Assert.Equal(Diagnoser.NothingWrong, Diagnoser.Decide(quiet).Main.Id);
        Assert.Contains(Diagnoser.Decide(quiet).Facts, f => f is { Kind: "queue", Problem: false } && f.Evidence.EndsWith("not growing over 5 s", StringComparison.Ordinal));
        var d = Diagnoser.Decide(growing);
        Assert.Equal(("worker", "teafleet scenario worker production"), (d.Main.Id, d.Main.Command));
        Assert.Contains(d.Main.Reasons, r => r.Contains("tea:jobs grew from 3 to 9 in 5 s while every service runs: the worker is not taking jobs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_migration_is_scenario_2_whatever_else_is_down()
    {
        var d = Diagnoser.Decide(Facts([CrashLooping("backend"), Up("worker"), Up("frontend")], Migration(MigrationState.Behind, "0002", "0003", failed: true)));

        Assert.Equal("migration-failed", d.Main.Id);
        Assert.Equal("scenario 2", d.Main.RollbackType);
        Assert.Equal("teafleet repair migration-failed production", d.Main.Command);
        Assert.Contains(d.Main.Reasons, r => r.Contains("the last upgrade failed (run.3.prod-1: alembic exited 1)", StringComparison.Ordinal));
        Assert.Contains(d.Main.Reasons, r => r.Contains("behind the live code's head", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_worker_down_or_its_log_full_of_errors_is_the_worker_scenario()
    {
        var down = Diagnoser.Decide(Facts([Up("backend"), CrashLooping("worker"), Up("frontend")]));
        Assert.Equal("worker", down.Main.Id);
        Assert.Equal("scenario 3", down.Main.RollbackType);
        Assert.Equal("teafleet scenario worker production", down.Main.Command);

        var noisy = Diagnoser.Decide(Facts(logs: [Noisy("worker"), LogErrors.Of("prod-1", "backend", ["INFO ok"])]));
        Assert.Equal("worker", noisy.Main.Id);
        Assert.Contains(noisy.Main.Reasons, r => r.Contains("worker has 8 error line(s) in its last 9 log lines", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_frontend_down_is_scenario_4_on_the_frontend()
    {
        var d = Diagnoser.Decide(Facts([Up("backend"), Up("worker"), new ServiceStatus { Name = "frontend", State = "exited", Health = "none", Release = Samples.C2 }], healthOk: false));

        Assert.Equal("frontend-only", d.Main.Id);
        Assert.Equal("scenario 4", d.Main.RollbackType);
        Assert.Equal("teafleet rollback production --services frontend", d.Main.Command);
    }

    [Fact]
    public void Errors_in_the_backend_log_with_everything_up_is_a_Type_1_that_can_wait()
    {
        var d = Diagnoser.Decide(Facts(logs: [Noisy("backend")]));

        Assert.Equal("performance", d.Main.Id);
        Assert.Equal(Priority.CanWait, d.Main.Priority);
        Assert.Equal("can-wait", d.Main.Priority.Word);
        Assert.Equal("teafleet rollback production", d.Main.Command);
    }

    [Fact]
    public void Leftovers_of_a_downgrade_are_repaired_in_place()
    {
        var leftovers = new LeftoversResponse { Host = "prod-1", Compared = true, ReferenceBackupId = "b1" };
        leftovers.Differences.Add(new SchemaDifference { Kind = SchemaDifferenceKind.Extra, ObjectType = "TYPE", Name = "order_status", Droppable = true });

        var d = Diagnoser.Decide(Facts() with { Leftovers = leftovers });

        Assert.Equal("leftovers", d.Main.Id);
        Assert.Equal("teafleet repair leftovers production", d.Main.Command);
        Assert.Contains(d.Main.Reasons, r => r.Contains("TYPE order_status", StringComparison.Ordinal));

        var crashed = Diagnoser.Decide(Facts([CrashLooping("backend"), Up("worker"), Up("frontend")]) with { Leftovers = leftovers });
        Assert.Equal("application-crash", crashed.Main.Id);
        Assert.Equal("leftovers", Assert.Single(crashed.Also).Id);
    }

    [Fact]
    public void Nothing_wrong_is_said_with_exit_0_and_corruption_is_only_offered()
    {
        var d = Diagnoser.Decide(Facts(logs: [LogErrors.Of("prod-1", "backend", ["INFO ok", "ERROR once"])]));

        Assert.Equal(Diagnoser.NothingWrong, d.Main.Id);
        Assert.Null(d.Main.Command);
        Assert.Equal(ExitCodes.Done, d.ExitCode);
        var corruption = Assert.Single(d.OperatorCalls);
        Assert.Equal("data-corruption", corruption.Id);
        Assert.Equal("3", corruption.RollbackType);
        Assert.Equal("teafleet rollback production --type 3 --before \"2026-12-02 10:00:00Z\"", corruption.Command);
    }

    [Fact]
    public void A_database_ahead_of_the_code_is_a_deploy_of_the_release_with_its_head()
    {
        var ledger = Ledger();
        var newer = new Release { Id = 3, Commit = Samples.C3, Kind = "deploy", Result = ReleaseResult.Succeeded, MigrationHead = "0005" };
        var facts = Facts(migration: Migration(MigrationState.UnknownRevision, "0005", "0003")) with { Ledger = ledger with { Releases = [newer, .. ledger.Releases] } };

        var d = Diagnoser.Decide(facts);

        Assert.Equal("database-ahead", d.Main.Id);
        Assert.Equal("deploy", d.Main.RollbackType);
        Assert.Equal($"teafleet deploy production {Samples.C3}", d.Main.Command);
        Assert.Contains(d.Main.Reasons, r => r.Contains("the code is older than the database", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreachable_host_exits_3_and_the_answer_covers_the_others()
    {
        var facts = Facts() with { Hosts = [.. Facts().Hosts.Take(1), HostRead.NotReached("prod-2", "agent prod-2 is unreachable: connection refused.")] };

        var d = Diagnoser.Decide(facts);

        Assert.Equal(ExitCodes.Unreachable, d.ExitCode);
        Assert.Equal(["prod-2"], d.Unreachable);
        Assert.Contains(d.Main.Reasons, r => r.Contains("not read: prod-2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Traceback (most recent call last):", true)]
    [InlineData("2026-12-02 12:00:01 ERROR app.jobs: boom", true)]
    [InlineData("sqlalchemy.exc.OperationalError: connection refused", true)]
    [InlineData("INFO:     10.0.0.1:5000 - \"GET /api HTTP/1.1\" 502 Bad Gateway", true)]
    [InlineData("INFO:     10.0.0.1:5000 - \"GET /api HTTP/1.1\" 200 OK", false)]
    [InlineData("job took 503 ms", false)]
    public void Error_lines_are_recognised(string line, bool error) => Assert.Equal(error, LogErrors.IsError(line));

    [Fact]
    public void Logs_are_judged_from_after_the_last_switch_and_the_containers_first_seconds()
    {
        var old = Up("frontend");
        var recent = new ServiceStatus(old) { StartedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-2)) };
        // Nothing changed for an hour: the last 15 minutes.
        Assert.Equal(Now - DiagnosisReader.RecentLogs, DiagnosisReader.LogsSince(old, Now));
        // A container started 2 minutes ago: from 30 s after its start.
        Assert.Equal(Now.AddMinutes(-2) + DiagnosisReader.StartupGrace, DiagnosisReader.LogsSince(recent, Now));
        // A frontend kept through a switch that ended a minute ago: its 502s while the backend was recreated are
        // before the switch's end, not judged.
        var operations = new[]
        {
            new OperationInfo { Kind = "services.recreate", EndedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-1)) },
            new OperationInfo { Kind = "services.stop", EndedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-5)) },
            new OperationInfo { Kind = "database.backup", EndedAt = Timestamp.FromDateTimeOffset(Now.AddSeconds(-10)) },
            new OperationInfo { Kind = "services.recreate" },
        };
        Assert.Equal(Now.AddMinutes(-1), DiagnosisReader.LastSwitch(operations));
        Assert.Equal(Now.AddMinutes(-1), DiagnosisReader.LogsSince(old, Now, DiagnosisReader.LastSwitch(operations)));
        Assert.Null(DiagnosisReader.LastSwitch([]));
    }
}
