namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's migrations off the happy path (issue 11 items 6, 16, 18): a downgrade that leaves an enum type
/// behind, and one that cannot run at all.
/// </summary>
public sealed class KioskMigrationTests(FleetFixture fleet)
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

        var repair = await fleet.TeaFleetOkAsync(inventory, "repair", "leftovers", "staging", "--yes");
        Assert.False(KioskApp.TypeExists(host, "order_status"), "repair leftovers left the type: " + repair);

        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.1.0", "--yes");
        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.True(KioskApp.TypeExists(host, "order_status"));
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
        Assert.Contains("downgrade", migrations.StandardOutput, StringComparison.OrdinalIgnoreCase);

        // The way on it names: Type 3 to 1.1.0 restores a backup whose head 1.1.0 knows (taken before 1.2.0 migrated).
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.1.0", "--type", "3", "--yes");
        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }
}
