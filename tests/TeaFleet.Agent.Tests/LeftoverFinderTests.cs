using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Operations.Migrations;

namespace TeaFleet.Agent.Tests;

/// <summary>The inputs of the leftover read: the downgrades the journal holds, and which leftovers a target's upgrade scripts name (Kiosk's own scripts).</summary>
public sealed class LeftoverFinderTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    private static OperationBody Ends(string to) => _ => Task.FromResult<IReadOnlyDictionary<string, string>?>(new Dictionary<string, string> { ["to"] = to });

    private static async Task RunAsync(TestAgent agent, string id, string kind, OperationBody body)
    {
        await foreach (var _ in agent.Manager.Start(new OperationHeader(id), kind, "", "tester", body).WatchAsync(0, TestContext.Current.CancellationToken))
        {
        }
    }

    [Fact]
    public async Task The_newest_succeeded_downgrade_that_ended_at_the_head_is_found_also_after_a_restart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var stateDir = Directory.CreateTempSubdirectory("teafleet-leftovers-").FullName;
        using (var agent = new TestAgent(stateDir, time))
        {
            await RunAsync(agent, "down-1", MigrationOperations.DowngradeKind, Ends("0001"));
            time.Advance(TimeSpan.FromMinutes(10));
            await RunAsync(agent, "down-2", MigrationOperations.DowngradeKind, Ends("0001"));
            time.Advance(TimeSpan.FromMinutes(10));
            await RunAsync(agent, "up-3", MigrationOperations.UpgradeKind, Ends("0002"));
            time.Advance(TimeSpan.FromMinutes(10));
            await RunAsync(agent, "down-4", MigrationOperations.DowngradeKind, Ends("0000"));
            time.Advance(TimeSpan.FromMinutes(10));
            await RunAsync(agent, "down-5", MigrationOperations.DowngradeKind, _ => throw new InvalidOperationException("alembic failed"));

            var found = await LeftoverFinder.LastDowngradeToAsync(agent.Manager, "0001", TestContext.Current.CancellationToken);
            Assert.Equal(new RecordedDowngrade("down-2", new DateTimeOffset(2026, 12, 1, 10, 10, 0, TimeSpan.Zero), "0001"), found);
            Assert.Null(await LeftoverFinder.LastDowngradeToAsync(agent.Manager, "0002", TestContext.Current.CancellationToken));
        }

        // A restarted agent reads the finished operations' events back from the journal.
        using var restarted = new TestAgent(stateDir, time);
        Assert.Equal("down-2", (await LeftoverFinder.LastDowngradeToAsync(restarted.Manager, "0001", TestContext.Current.CancellationToken))?.OperationId);
        Directory.Delete(stateDir, recursive: true);
    }

    [Fact]
    public void Kiosks_enum_left_by_the_0002_downgrade_collides_with_0002_upgrade_and_nothing_else_does()
    {
        var versions = new[] { "base", "releases/1.1.0" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(Repo, "deploy", "sample-app-b", d, "api", "kiosk", "migrations", "versions"), "*.py"))
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        var graph = MigrationGraph.Parse(versions);
        var scripts = versions.ToDictionary(v => MigrationGraph.RevisionOf(v.Item2)!, v => v.Item2);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema");
        var differences = SchemaComparer.Compare(
            SchemaDump.Parse(File.ReadAllText(Path.Combine(fixtures, "reference-schema.sql"))),
            SchemaDump.Parse(File.ReadAllText(Path.Combine(fixtures, "live-many-schema.sql"))));

        var revisions = LeftoverFinder.UpgradeRevisions(graph, "a3c1e5f70b21");
        var marked = LeftoverFinder.MarkCollisions(differences, revisions, scripts);

        Assert.Equal(["5e9d2b7c4a10"], revisions);
        Assert.Equal(["TYPE order_status"], marked.Where(d => d.CollidesWith.Count > 0).Select(d => $"{d.ObjectType} {d.Name}"));
        Assert.Equal(["5e9d2b7c4a10"], marked.Single(d => d.Name == "order_status").CollidesWith);
        // At the target's head already, or a head the target does not know: nothing to apply, nothing collides.
        Assert.Empty(LeftoverFinder.UpgradeRevisions(graph, "5e9d2b7c4a10"));
        Assert.Empty(LeftoverFinder.UpgradeRevisions(graph, "ffffffffffff"));
    }

    [Fact]
    public void The_report_maps_to_the_wire_field_by_field()
    {
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var report = new LeftoverReport
        {
            Host = "db-1",
            DatabaseHeads = ["a3c1e5f70b21"],
            Compared = true,
            Reason = "why",
            ReferenceBackupId = "20261201-100000-full",
            ReferenceTakenAt = at,
            DowngradeOperationId = "run.4.db-1",
            TargetCommit = "c2",
            UpgradeRevisions = ["5e9d2b7c4a10"],
            Differences =
            [
                new SchemaDifference { Kind = SchemaDifferenceKind.Extra, ObjectType = "TYPE", Schema = "public", Name = "order_status", Detail = "d", Droppable = true, CollidesWith = ["5e9d2b7c4a10"] },
                new SchemaDifference { Kind = SchemaDifferenceKind.Missing, ObjectType = "INDEX", Schema = "public", Name = "ix" },
                new SchemaDifference { Kind = SchemaDifferenceKind.Changed, ObjectType = "TABLE", Schema = "public", Name = "orders" },
            ],
        };

        var wire = Grpc.MigrationWire.ToWire(report);

        Assert.Equal("db-1", wire.Host);
        Assert.Equal(["a3c1e5f70b21"], wire.DatabaseHeads);
        Assert.True(wire.Compared);
        Assert.Equal("why", wire.Reason);
        Assert.Equal("20261201-100000-full", wire.ReferenceBackupId);
        Assert.Equal(at, wire.ReferenceTakenAt.ToDateTimeOffset());
        Assert.Equal("run.4.db-1", wire.DowngradeOperationId);
        Assert.Equal("c2", wire.TargetCommit);
        Assert.Equal(["5e9d2b7c4a10"], wire.UpgradeRevisions);
        Assert.Equal([V1.SchemaDifferenceKind.Extra, V1.SchemaDifferenceKind.Missing, V1.SchemaDifferenceKind.Changed], wire.Differences.Select(d => d.Kind));
        var first = wire.Differences[0];
        Assert.Equal(("TYPE", "public", "order_status", "d", true), (first.ObjectType, first.Schema, first.Name, first.Detail, first.Droppable));
        Assert.Equal(["5e9d2b7c4a10"], first.CollidesWith);
        Assert.Null(Grpc.MigrationWire.ToWire(report with { ReferenceTakenAt = null }).ReferenceTakenAt);
    }
}
