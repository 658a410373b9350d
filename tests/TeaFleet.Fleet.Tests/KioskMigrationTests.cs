using System.Text.RegularExpressions;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's migrations off the happy path (issue 11 items 6, 16, 17, 18): a downgrade that leaves an enum type
/// behind, one that fails in the database and changes nothing (a failed drill: the same drill runs again once
/// fixed), and one that cannot run at all.
/// </summary>
public sealed partial class KioskMigrationTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_leftover_enum_is_reported_warned_about_and_repaired_and_the_roll_forward_then_succeeds()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.1.0");

        // Type 2 to 1.0.0: 0002's downgrade drops orders.status but leaves its enum type.
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--yes");
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        Assert.True(KioskApp.TypeExists(host, "order_status"));

        var migrations = await fleet.TeaFleetOkAsync(inventory, "migrations", "staging");
        Assert.Contains("order_status", migrations.StandardOutput, StringComparison.Ordinal);

        // The roll-forward names the leftover before it runs; run anyway, it collides ("already exists"),
        // and the database stays where it was.
        var collided = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "1.1.0", "--yes");
        Assert.Contains("repair leftovers", collided.All, StringComparison.Ordinal);
        Assert.True(collided.ExitCode == 1, collided.ToString());
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        // The one-shot migrate failed (exit 1): its own log line is in the output, and 1.0.0 serves again.
        Assert.Contains("migrate", collided.Flat, StringComparison.Ordinal);
        Assert.Contains("already exists", collided.Flat, StringComparison.Ordinal);
        Assert.Equal(fleet.KioskCommits["1.0.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));

        var repair = await fleet.TeaFleetOkAsync(inventory, "repair", "leftovers", "staging", "--yes");
        Assert.False(KioskApp.TypeExists(host, "order_status"), "repair leftovers left the type: " + repair);

        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.1.0", "--yes");
        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.True(KioskApp.TypeExists(host, "order_status"));
    }

    [Fact]
    public async Task A_drill_whose_downgrade_fails_in_the_database_changes_nothing_keeps_the_gate_closed_and_runs_again_once_fixed()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, fleet.KioskProduction, "1.1.0");
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.1.0");
        // A report view someone made on orders.status: 0002's downgrade renders offline, but dropping the
        // column fails in the database (one transaction: nothing of it stays).
        KioskApp.Execute(host, "CREATE VIEW order_report AS SELECT id, status FROM orders");
        string failedRun;
        try
        {
            var failed = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--yes");

            Assert.True(failed.ExitCode == 1, failed.ToString());
            failedRun = RunId().Match(failed.All).Groups[1].Value;
            Assert.Contains("the database is unchanged (still at 5e9d2b7c4a10)", failed.Flat, StringComparison.Ordinal);
            Assert.Contains("the app serves on the current code", failed.Flat, StringComparison.Ordinal);
            Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
            Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
            Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.AdminPort));
            var migrations = await fleet.TeaFleetOkAsync(inventory, "migrations", "staging");
            Assert.Contains("up to date", migrations.Flat, StringComparison.Ordinal);
            Assert.Contains("the last downgrade failed at", migrations.Flat, StringComparison.Ordinal);
            Assert.Contains("order_report", migrations.Flat, StringComparison.Ordinal);

            // The failed drill and its way back do not count: production is refused, and the drill the gate
            // names is the same rollback of staging, which now has something to do again.
            var gated = await fleet.TeaFleetAsync(inventory, "rollback", "production", "--to", "1.0.0", "--yes");
            Assert.True(gated.ExitCode == 4, gated.ToString());
            Assert.Contains($"rollback staging --to {fleet.KioskCommits["1.0.0"]}", gated.Flat, StringComparison.Ordinal);
            Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, fleet.KioskProduction, KioskApp.ApiPort));
        }
        finally
        {
            KioskApp.Execute(host, "DROP VIEW IF EXISTS order_report");
        }

        // Cause removed, the gate's drill runs to done and opens the gate for production.
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", fleet.KioskCommits["1.0.0"], "--yes");
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        // The failed run is stale now: resuming it would replay its plan over the drill that came after.
        var stale = await fleet.TeaFleetAsync(inventory, "resume", failedRun);
        Assert.True(stale.ExitCode == 2, stale.ToString());
        Assert.Contains($"run {failedRun} is stale", stale.Flat, StringComparison.Ordinal);
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        var plan = await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "production", "--to", "1.0.0");
        Assert.Contains("drill gate open", plan.Flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downgrade_that_cannot_run_is_refused_before_anything_stops_and_type_3_restores_a_backup_the_target_knows()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.2.0");
        var containers = await host.ContainerIdsAsync();

        // 0003's downgrade raises: the offline render of the chain fails first, and nothing stops.
        var refused = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.1.0", "--yes");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("--type 3", refused.All, StringComparison.Ordinal);
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));
        Assert.Equal(containers, await host.ContainerIdsAsync());
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        var migrations = await fleet.TeaFleetOkAsync(inventory, "migrations", "staging");
        Assert.Contains("the last downgrade failed (rendered offline as a pre-flight: nothing ran against the database)", migrations.Flat, StringComparison.Ordinal);
        Assert.Contains("cannot be downgraded", migrations.Flat, StringComparison.Ordinal);

        // The way on it names: Type 3 to 1.1.0 restores a backup whose head 1.1.0 knows (taken before 1.2.0 migrated).
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.1.0", "--type", "3", "--yes");
        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }

    [GeneratedRegex(@"for run (\S+) on ")]
    private static partial Regex RunId();
}
