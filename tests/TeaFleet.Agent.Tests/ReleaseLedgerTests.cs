using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

public sealed class ReleaseLedgerTests
{
    [Fact]
    public void The_ledger_survives_a_restart_and_skips_a_torn_last_line()
    {
        var agent = new TestAgent();
        var first = agent.Ledger.Begin(new Release { Commit = new string('a', 40), Kind = "deploy" });
        agent.Ledger.Finish(first.Id, ReleaseResult.Succeeded, "ok");
        var second = agent.Ledger.Begin(new Release { Commit = new string('b', 40), Kind = "deploy" });
        agent.Ledger.Finish(second.Id, ReleaseResult.Succeeded, "ok");
        var path = agent.Ledger.Path;
        agent.Journal.Dispose();
        agent.Ledger.Dispose();
        File.AppendAllText(path, "{\"id\": \"3\", \"commit\": \"cc");

        using var restarted = new TestAgent(agent.StateDir);

        var releases = restarted.Ledger.List(10);
        Assert.Equal([2L, 1L], releases.Select(r => r.Id));
        Assert.Equal(new string('b', 40), restarted.Ledger.Current()!.Commit);
        var next = restarted.Ledger.Begin(new Release { Commit = new string('c', 40) });
        Assert.Equal(3, next.Id);
    }

    [Fact]
    public void A_release_in_progress_at_a_crash_is_marked_interrupted()
    {
        var agent = new TestAgent();
        var done = agent.Ledger.Begin(new Release { Commit = new string('a', 40) });
        agent.Ledger.Finish(done.Id, ReleaseResult.Succeeded, "ok");
        agent.Ledger.Begin(new Release { Commit = new string('b', 40) });

        using var restarted = agent.Restart();

        var releases = restarted.Ledger.List(10);
        Assert.Equal(ReleaseResult.Interrupted, releases[0].Result);
        Assert.Equal(new string('a', 40), restarted.Ledger.Current()!.Commit);
    }

    [Fact]
    public void A_line_written_before_the_migration_service_and_removed_fields_existed_reads_them_as_empty()
    {
        var agent = new TestAgent();
        var path = agent.Ledger.Path;
        agent.Journal.Dispose();
        agent.Ledger.Dispose();
        // A line as the previous agent wrote it (format 2, without migration_service and removed).
        File.WriteAllText(path, "{\"v\":2,\"id\":7,\"commit\":\"" + new string('a', 40) + "\",\"kind\":\"deploy\",\"services\":[\"backend\"],\"images\":{},\"requested_by\":\"x\",\"reason\":\"\",\"operation_id\":\"o\",\"run_id\":\"r\",\"started_at\":\"2026-12-02T04:14:12+00:00\",\"ended_at\":null,\"result\":\"Succeeded\",\"message\":\"\",\"previous_commit\":\"\",\"built\":false,\"migration_head\":\"0001\"}\n");

        using var restarted = new TestAgent(agent.StateDir);

        var old = restarted.Ledger.List(1)[0];
        Assert.Equal("", old.MigrationService);
        Assert.Empty(old.Removed);
        Assert.Equal("", TeaFleet.Agent.Grpc.ReleaseWire.ToWire(old).MigrationService);
    }

    [Fact]
    public void The_migrating_service_and_the_removed_services_of_a_release_are_kept_and_reach_the_wire()
    {
        var agent = new TestAgent();
        var release = agent.Ledger.Begin(new Release { Commit = new string('a', 40), Kind = "deploy", MigrationService = "migrate" });
        agent.Ledger.Finish(release.Id, ReleaseResult.Succeeded, "ok", r => r with { Removed = ["dashboard"] });

        using var restarted = agent.Restart();

        var kept = restarted.Ledger.List(1)[0];
        Assert.Equal("migrate", kept.MigrationService);
        Assert.Equal(["dashboard"], kept.Removed);
        var wire = TeaFleet.Agent.Grpc.ReleaseWire.ToWire(kept);
        Assert.Equal("migrate", wire.MigrationService);
        Assert.Equal(["dashboard"], wire.Removed);
        Assert.Contains("\"migration_service\":\"migrate\"", File.ReadAllText(restarted.Ledger.Path), StringComparison.Ordinal);
    }
}
