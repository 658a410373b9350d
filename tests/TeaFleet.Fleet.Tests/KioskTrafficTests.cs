namespace TeaFleet.Fleet.Tests;

/// <summary>
/// App B (Kiosk) has no proxy of its own: its api and admin are the public ports. What that means for traffic
/// control, against its real agent: no maintenance page (refused before anything changes, with what to
/// configure), and every service recreated on a switch, the plan saying why.
/// </summary>
public sealed class KioskTrafficTests(FleetFixture fleet)
{
    [Fact]
    public async Task The_maintenance_page_is_refused_with_what_to_configure_and_a_plan_says_each_service_is_recreated()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.3.0");

        var on = await fleet.TeaFleetAsync(inventory, "maintenance", "staging", "on", "--yes");

        Assert.True(on.ExitCode == 2, on.ToString());
        Assert.Contains("not every host of 'staging' can show the maintenance page: b-staging-1:", on.Flat, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", on.Flat, StringComparison.Ordinal);
        Assert.Contains("Configure Agent:Maintenance on those hosts", on.Flat, StringComparison.Ordinal);
        // Nothing changed: the api still answers its users.
        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));

        var plan = await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--json");
        Assert.Contains("api: recreate (an outage while it starts: not in Agent:App:Rolling)", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("worker: recreate (an outage while it starts: not in Agent:App:Rolling)", plan.StandardOutput, StringComparison.Ordinal);
    }
}
