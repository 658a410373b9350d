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
    public async Task When_staging_already_runs_the_target_the_gate_names_the_deploy_that_makes_the_drill_real()
    {
        // Staging got to v2 without a drill that counts (a deploy, as after a recovery): the drill the gate
        // would name, 'rollback staging --to v2', would say "nothing to do" (issue 11 item 17).
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "production");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v2", "--yes");

        var refused = await fleet.TeaFleetAsync(inventory, "rollback", "production", "--to", "v2", "--yes");

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("already runs", refused.Flat, StringComparison.Ordinal);
        Assert.Contains($"deploy staging {fleet.Commits["v3"]}", refused.Flat, StringComparison.Ordinal);

        // Following the advice literally opens the gate.
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", fleet.Commits["v3"], "--yes");
        var drill = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", fleet.Commits["v2"], "--yes");
        Assert.DoesNotContain("nothing to do", drill.Flat, StringComparison.Ordinal);
        await fleet.TeaFleetOkAsync(inventory, "rollback", "production", "--to", "v2", "--yes");
        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(host));
        }

        await fleet.DeployHistoryAsync(inventory, "staging", "production");
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
