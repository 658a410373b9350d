using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's Type 3 to a release (issue 11 item 18): a backup taken under newer code is refused for an older
/// target even when the target knows its Alembic head (1.4.0 and 1.3.0 share it, but 1.4.0 rewrites password
/// hashes 1.3.0 cannot read), naming the candidates; without a named backup the rollback picks one taken under
/// code the target descends from.
/// </summary>
public sealed class KioskRestoreTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_type_3_to_1_3_0_refuses_a_backup_taken_under_1_4_0_and_restores_one_1_3_0_can_run_on()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.3.0");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.4.0", "--yes");
        var database = new Database.DatabaseClient(fleet.Agent(host));
        var before = (await database.ListBackupsAsync(new ListBackupsRequest(), cancellationToken: Ct)).Backups.Select(b => b.Id).ToHashSet();
        await fleet.TeaFleetOkAsync(inventory, "backup", "staging", "--full");
        var under140 = Assert.Single((await database.ListBackupsAsync(new ListBackupsRequest(), cancellationToken: Ct)).Backups, b => !before.Contains(b.Id));
        Assert.Equal(fleet.KioskCommits["1.4.0"], under140.ReleaseCommit);
        Assert.Equal("19b8e6f2d5c3", under140.MigrationHead);

        var refused = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.3.0", "--backup", under140.Id, "--yes");

        Assert.True(refused.ExitCode == 2, "a backup taken under newer code was not refused: " + refused);
        Assert.Contains($"it was taken under {fleet.KioskCommits["1.4.0"][..12]}, newer code than 1.3.0", refused.Flat, StringComparison.Ordinal);
        Assert.Equal(fleet.KioskCommits["1.4.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));

        var rollback = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.3.0", "--type", "3", "--yes");

        Assert.DoesNotContain(under140.Id, rollback.Flat, StringComparison.Ordinal);
        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal("19b8e6f2d5c3", KioskApp.AlembicHead(host));
    }
}
