namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The service set per release (issue 11 items 4, 13, 14) on app B (Kiosk), whose releases add and drop
/// services: 1.0.0 has api, admin and a fixed-tag dashboard; 1.1.0 drops the dashboard and adds a worker
/// and a one-shot migrator that the api waits for.
/// </summary>
public sealed class KioskServiceSetTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rolling_forward_creates_the_worker_and_runs_the_migrator_rolling_back_removes_them_and_brings_the_dashboard_back()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.0.0");

        var forward = await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.1.0", "--yes");
        var states = await host.ContainerStatesAsync();
        Assert.Equal("running", states["worker"]);
        Assert.Equal("exited", states["migrate"]);
        Assert.False(states.ContainsKey("dashboard"), "1.1.0 does not define the dashboard, yet its container is there: " + forward);
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.AdminPort));
        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        // The one-shot ran to completion (exit 0): its container's exit code, as docker shows it.
        var exitCode = await Processes.CheckedAsync("docker", "-H", host.DockerHost, "inspect", "--format", "{{.State.ExitCode}}", (await host.ContainerIdsAsync())["migrate"]);
        Assert.Equal("0", exitCode.Trim());

        var back = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--yes");
        Assert.Contains("Type 2", back.All, StringComparison.Ordinal);
        states = await host.ContainerStatesAsync();
        Assert.False(states.ContainsKey("worker"), "1.0.0 has no worker, yet its container is there: " + back);
        Assert.False(states.ContainsKey("migrate"), "1.0.0 has no migrator, yet its container is there: " + back);
        Assert.Equal("running", states["dashboard"]);
        Assert.Equal("running", states["postgres"]);
        Assert.Equal("running", states["redis"]);
        Assert.Equal(fleet.KioskCommits["1.0.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
    }

    [Fact]
    public async Task A_service_the_target_does_not_define_is_refused_before_anything_changes()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.1.0");
        var containers = await host.ContainerIdsAsync();

        var deploy = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "1.2.0", "--services", "dashboard", "--yes");
        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains("dashboard", deploy.All, StringComparison.Ordinal);

        // A Type 2 to 1.0.0 of the worker: 1.0.0 has no worker. Refused before its downgrade exists.
        var rollback = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--services", "worker", "--yes");
        Assert.True(rollback.ExitCode == 2, rollback.ToString());
        Assert.Contains("worker", rollback.All, StringComparison.Ordinal);

        // A Type 2 of api and admin only would leave the worker on 1.1.0's code over 1.0.0's schema: refused, and the
        // way that works named (1.0.0 has no worker: leave --services out, the switch removes it).
        var partial = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--services", "api,admin", "--yes");
        Assert.True(partial.ExitCode == 2, partial.ToString());
        Assert.Contains("but worker would keep running newer code on it on b-staging-1", partial.Flat, StringComparison.Ordinal);
        Assert.Contains("Leave --services out: teafleet rollback staging --to 1.0.0", partial.Flat, StringComparison.Ordinal);

        Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        Assert.Equal(containers, await host.ContainerIdsAsync());
        Assert.Equal(fleet.KioskCommits["1.1.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }

    [Fact]
    public async Task A_missing_fixed_tag_image_is_refused_at_plan_time_and_a_container_the_release_does_not_define_is_shown_and_removed()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.1.0");
        const string dashboard = "kiosk-upstream/dashboard:2.1.4";

        // The upstream image is not on the host (moved aside): a rollback to 1.0.0 cannot bring the
        // dashboard back, and must say so before its downgrade.
        await Processes.CheckedAsync("docker", "-H", host.DockerHost, "tag", dashboard, "kiosk-upstream/dashboard:aside");
        await Processes.CheckedAsync("docker", "-H", host.DockerHost, "rmi", dashboard);
        try
        {
            var refused = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--yes");
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains(dashboard, refused.All, StringComparison.Ordinal);
            Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        }
        finally
        {
            await Processes.CheckedAsync("docker", "-H", host.DockerHost, "tag", "kiosk-upstream/dashboard:aside", dashboard);
            await Processes.CheckedAsync("docker", "-H", host.DockerHost, "rmi", "kiosk-upstream/dashboard:aside");
        }

        // A container of the project for a service 1.1.0 does not define (left by hand, or by an old
        // tool): status and the plan show it, and the next switch removes it.
        await Processes.CheckedAsync("docker", "-H", host.DockerHost, "run", "-d", "--network", "host",
            "--label", "com.docker.compose.project=kiosk", "--label", "com.docker.compose.service=dashboard",
            "--label", "com.docker.compose.oneoff=False", "--label", "com.docker.compose.container-number=1",
            "--name", "kiosk_dashboard_stray", dashboard);
        var status = await fleet.TeaFleetOkAsync(inventory, "status", "staging");
        Assert.Matches("dashboard.*not in this release", status.StandardOutput);

        var deploy = await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.2.0", "--yes");
        Assert.Contains("a container of dashboard runs, which the release there does not define", deploy.Flat, StringComparison.Ordinal);
        Assert.False((await host.ContainerStatesAsync()).ContainsKey("dashboard"), "the switch to 1.2.0 left the stray dashboard running");
        Assert.Equal(fleet.KioskCommits["1.2.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }
}
