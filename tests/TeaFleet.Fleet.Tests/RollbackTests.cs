using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>The runbook's Type 1 rollback, run for real across the sandbox fleet.</summary>
public sealed class RollbackTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_rollback_production_every_production_host_reports_the_previous_release_and_the_ledger_says_so()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging", "production");
        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(host));
        }

        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--yes");
        var result = await fleet.TeaFleetOkAsync(inventory, "rollback", "production", "--yes", "--reason", "fleet test");

        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(host));
            var ledger = await new Releases.ReleasesClient(fleet.Agent(host)).ListAsync(new ListReleasesRequest(), cancellationToken: Ct);
            var newest = ledger.Releases[0];
            Assert.Equal(fleet.Commits["v2"], newest.Commit);
            Assert.Equal("rollback", newest.Kind);
            Assert.Equal(ReleaseResult.Succeeded, newest.Result);
            Assert.Equal("0001_initial", newest.MigrationHead); // read from v2's own migration scripts
            Assert.Equal(fleet.Commits["v2"], ledger.CurrentCommit);
        }

        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
        Assert.Contains("report", result.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Rolling_back_only_the_frontend_leaves_the_backend_and_worker_containers_untouched()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");
        var before = await fleet.Staging.ContainerIdsAsync();

        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--services", "frontend", "--yes");

        var after = await fleet.Staging.ContainerIdsAsync();
        Assert.Equal(before["backend"], after["backend"]);
        Assert.Equal(before["worker"], after["worker"]);
        Assert.Equal(before["db"], after["db"]);
        Assert.NotEqual(before["frontend"], after["frontend"]);
        Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(fleet.Staging));
        var services = await new Services.ServicesClient(fleet.Agent(fleet.Staging)).ListAsync(new ListServicesRequest(), cancellationToken: Ct);
        Assert.Equal(fleet.Commits["v2"], services.Services.Single(s => s.Name == "frontend").Release);
        Assert.Equal(fleet.Commits["v3"], services.Services.Single(s => s.Name == "backend").Release);
        // db and redis are data services: no switch recreates them, so their release does not count in what the host runs.
        Assert.Equal(["db", "redis"], services.Services.Where(s => s.DataService).Select(s => s.Name).Order(StringComparer.Ordinal));

        // staging-1 now runs two releases, and status says so.
        var status = await fleet.TeaFleetOkAsync(inventory, "status", "staging");
        Assert.Contains("mixed", status.All, StringComparison.Ordinal);

        // The whole environment to v2 is not "nothing to do" because the frontend already runs it: the rest goes back.
        var rest = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "v2", "--yes");
        Assert.DoesNotContain("nothing to do", rest.All, StringComparison.Ordinal);
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
        services = await new Services.ServicesClient(fleet.Agent(fleet.Staging)).ListAsync(new ListServicesRequest(), cancellationToken: Ct);
        Assert.All(services.Services.Where(s => s.Name is "backend" or "worker" or "frontend"), s => Assert.Equal(fleet.Commits["v2"], s.Release));
    }

    [Fact]
    public async Task Rolling_back_to_a_kept_release_builds_no_image()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");
        var v2Backend = $"tea-backend:{fleet.Commits["v2"]}";
        var imageBefore = await fleet.Staging.ImageIdAsync(v2Backend);
        var countBefore = await fleet.Staging.ImageCountAsync();

        var result = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--yes", "--json");

        Assert.Equal(imageBefore, await fleet.Staging.ImageIdAsync(v2Backend));
        Assert.Equal(countBefore, await fleet.Staging.ImageCountAsync());
        Assert.Contains("reusing kept images", result.StandardOutput);
        var ledger = await new Releases.ReleasesClient(fleet.Agent(fleet.Staging)).ListAsync(new ListReleasesRequest(), cancellationToken: Ct);
        Assert.False(ledger.Releases[0].Built);
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
    }
}
