using System.Net;
using System.Text;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's failures off the happy path (issue 11 items 2, 3, 7, 10 and 15): a rollback that is green by its
/// health URLs while login fails, and a deploy whose migration fails on a row, migrated at the api's
/// start-up (staging: the deploy goes back; neither it nor a release ahead of the database is a rollback
/// target, and a backup of an older schema is restored only with its code) or by command before the switch (production, RunOnDeploy).
/// </summary>
public sealed class KioskFailureTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_code_only_rollback_whose_login_answers_500_fails_with_the_smoke_checks_evidence()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.3.0");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.4.0", "--yes");
        // A user logs in on 1.4.0: the release rewrites the password hash in a format 1.3.0 does not know.
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(host));

        var rollback = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.3.0", "--yes");

        Assert.True(rollback.ExitCode == 1, "a rollback whose login fails was reported as: " + rollback);
        Assert.Contains("login", rollback.All, StringComparison.Ordinal);
        Assert.Contains("500", rollback.All, StringComparison.Ordinal);
        // What the operator checks by hand: health is green, login is not.
        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal(HttpStatusCode.InternalServerError, await LoginAsync(host));

        // Back on 1.4.0, login works again (the way forward the report names).
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.4.0", "--yes");
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(host));
    }

    [Fact]
    public async Task A_deploy_whose_start_up_migration_fails_goes_back_to_the_previous_release_and_names_the_migration()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.2.0");
        // A row 1.3.0's data migration (0004, run by its api at start-up) cannot convert: it fails, in one transaction.
        KioskApp.Execute(host, "INSERT INTO orders (customer, amount_cents, reference) VALUES ('planted', 1, 'ABC-7')");

        var deploy = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "1.3.0", "--yes");

        Assert.True(deploy.ExitCode == 1, "a deploy whose migration fails was reported as: " + deploy);
        // Named as such: the head unchanged and the migration's own error line.
        Assert.Contains("The database is unchanged at c7f04d1a9e36", deploy.Flat, StringComparison.Ordinal);
        Assert.Contains("0004 (19b8e6f2d5c3)", deploy.Flat, StringComparison.Ordinal);
        Assert.Contains("the previous release serves again", deploy.Flat, StringComparison.Ordinal);
        // What the operator checks: 1.2.0 answers on both web services, the database and the row are as they were.
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.AdminPort));
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));
        Assert.Equal("1", KioskApp.Text(host, "SELECT count(*) FROM orders WHERE reference = 'ABC-7'"));

        // Every service runs the last good release: rolling back to it has nothing to do, and no migration is touched.
        var again = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.2.0", "--yes");
        Assert.Contains("nothing to do", again.All, StringComparison.Ordinal);
        var repair = await fleet.TeaFleetOkAsync(inventory, "repair", "migration-failed", "staging", "--plan");
        Assert.DoesNotContain("migrations.downgrade", repair.StandardOutput, StringComparison.Ordinal);
        // The failed release is ahead of the database: never a rollback, and the deploy that it is, named.
        var ahead = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.3.0", "--yes");
        Assert.True(ahead.ExitCode == 2, ahead.ToString());
        Assert.Contains("1.3.0 is ahead of the database", ahead.Flat, StringComparison.Ordinal);
        Assert.Contains("teafleet deploy staging 1.3.0", ahead.Flat, StringComparison.Ordinal);

        // A backup of 1.0.0's schema (the deploy of 1.1.0 took it) is refused as a restore under 1.2.0's code, with
        // the Type 3 that brings its code along; that Type 3, run as named, puts staging on 1.0.0. The default
        // target then skips 1.1.0, ahead of the database, and says there is nothing older to roll back to.
        var database = new Database.DatabaseClient(fleet.Agent(host));
        var old = (await database.ListBackupsAsync(new ListBackupsRequest(), cancellationToken: Ct)).Backups
            .Where(b => b.MigrationHead == "a3c1e5f70b21" && b.ReleaseCommit == fleet.KioskCommits["1.0.0"]).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).First();
        var restore = await fleet.TeaFleetAsync(inventory, "restore", "staging", old.Id, "--yes");
        Assert.True(restore.ExitCode == 2, restore.ToString());
        var type3 = $"teafleet rollback staging --type 3 --backup {old.Id} --to {fleet.KioskCommits["1.0.0"][..12]}";
        Assert.Contains(type3, restore.Flat, StringComparison.Ordinal);
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));
        await fleet.TeaFleetOkAsync(inventory, [.. type3.Split(' ').Skip(1), "--yes"]);
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.0.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        var none = await fleet.TeaFleetAsync(inventory, "plan", "rollback", "staging");
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains($"skipped {fleet.KioskCommits["1.1.0"][..12]} (release", none.Flat, StringComparison.Ordinal);
        Assert.Contains("ahead of the database (the database is at a3c1e5f70b21", none.Flat, StringComparison.Ordinal);

        // The restored database predates the planted row: the same deploy now goes through.
        Assert.Equal("0", KioskApp.Text(host, "SELECT count(*) FROM orders WHERE reference = 'ABC-7'"));
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.3.0", "--yes");
        Assert.Equal("19b8e6f2d5c3", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }

    [Fact]
    public async Task With_RunOnDeploy_a_failing_migration_stops_the_deploy_before_any_service_is_touched()
    {
        // b-prod-1 migrates by command (Agent:Migrations:RunOnDeploy): the walk to 1.2.0 upgrades as a step of its own.
        var host = fleet.KioskProduction;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.2.0");
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));
        KioskApp.Execute(host, "INSERT INTO orders (customer, amount_cents, reference) VALUES ('planted', 1, 'ABC-7')");
        var before = await host.ContainerIdsAsync();

        var deploy = await fleet.TeaFleetAsync(inventory, "deploy", "production", "1.3.0", "--yes");

        Assert.True(deploy.ExitCode == 1, "a deploy whose migration fails was reported as: " + deploy);
        Assert.Contains("migrations.upgrade", deploy.All, StringComparison.Ordinal);
        Assert.Contains("0004 (19b8e6f2d5c3)", deploy.Flat, StringComparison.Ordinal);
        Assert.Contains("the migration failed before any service switched", deploy.Flat, StringComparison.Ordinal);
        // The previous release never stopped: the same containers, still 1.2.0, the database unchanged.
        Assert.Equal(before, await host.ContainerIdsAsync());
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));

        KioskApp.Execute(host, "DELETE FROM orders WHERE reference = 'ABC-7'");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "production", "1.3.0", "--yes");
        Assert.Equal("19b8e6f2d5c3", KioskApp.AlembicHead(host));
        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }

    private async Task<HttpStatusCode> LoginAsync(FleetHost host)
    {
        using var body = new StringContent("{\"username\":\"admin\",\"password\":\"admin\"}", Encoding.UTF8, "application/json");
        using var response = await fleet.Http.PostAsync($"http://{host.Address}:{KioskApp.ApiPort}/login", body, Ct);
        return response.StatusCode;
    }
}
