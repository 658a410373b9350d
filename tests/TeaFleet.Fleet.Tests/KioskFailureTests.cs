using System.Net;
using System.Text;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's failures off the happy path (issue 11 items 2, 3, 7 and 15): a rollback that is green by its
/// health URLs while login fails, and a deploy whose migration fails on a row.
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
    public async Task A_deploy_whose_migration_fails_is_rolled_back_by_default_to_the_last_good_release_without_touching_its_migrations()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.2.0");
        // A row 1.3.0's data migration (0004) cannot convert: the migration fails, in one transaction.
        KioskApp.Execute(host, "INSERT INTO orders (customer, amount_cents, reference) VALUES ('planted', 1, 'ABC-7')");

        var deploy = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "1.3.0", "--yes");
        Assert.True(deploy.ExitCode == 1, "a deploy whose migration fails was reported as: " + deploy);
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));

        // The default target is the last good release (1.2.0), not the one before it (1.1.0, whose
        // rollback would revert 0003, applied successfully before the failure).
        var plan = await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging");
        Assert.Contains("Type 1", plan.All, StringComparison.Ordinal);
        Assert.DoesNotContain("downgrade", plan.StandardOutput, StringComparison.OrdinalIgnoreCase);

        var rollback = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--yes");
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.AdminPort));
        Assert.Equal("c7f04d1a9e36", KioskApp.AlembicHead(host));
        Assert.Equal("1", KioskApp.Text(host, "SELECT count(*) FROM orders WHERE reference = 'ABC-7'"));

        // Rolled back to the target, the same rollback again has nothing to do.
        var again = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.2.0", "--yes");
        Assert.Contains("nothing to do", again.All, StringComparison.Ordinal);
        KioskApp.Execute(host, "DELETE FROM orders WHERE reference = 'ABC-7'");
        _ = rollback;
    }

    private async Task<HttpStatusCode> LoginAsync(FleetHost host)
    {
        using var body = new StringContent("{\"username\":\"admin\",\"password\":\"admin\"}", Encoding.UTF8, "application/json");
        using var response = await fleet.Http.PostAsync($"http://{host.Address}:{KioskApp.ApiPort}/login", body, Ct);
        return response.StatusCode;
    }
}
