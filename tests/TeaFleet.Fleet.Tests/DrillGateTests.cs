namespace TeaFleet.Fleet.Tests;

public sealed class DrillGateTests(FleetFixture fleet)
{
    [Fact]
    public async Task Rollback_production_without_a_staging_drill_is_refused_and_changes_nothing()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "production");
        var before = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var host in fleet.Production)
        {
            before[host.Name] = await host.ContainerIdsAsync();
        }

        var refused = await fleet.TeaFleetAsync(inventory, "rollback", "production", "--yes");

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("rollback staging", refused.All);
        Assert.Contains(fleet.Commits["v2"], refused.All);
        foreach (var host in fleet.Production)
        {
            Assert.Equal(before[host.Name], await host.ContainerIdsAsync());
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(host));
        }
    }

    [Fact]
    public async Task Skipping_the_drill_needs_a_reason()
    {
        var inventory = fleet.NewInventory();

        var refused = await fleet.TeaFleetAsync(inventory, "rollback", "production", "--yes", "--skip-drill");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--reason", refused.All);
    }
}
