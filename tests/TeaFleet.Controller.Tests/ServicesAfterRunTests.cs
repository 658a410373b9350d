using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Issue 11 item 15: a run that stopped services ends saying which are down, and the report ticks "all
/// services running" only when none is. The real Type 3 with a service left stopped runs in the fleet tests.
/// </summary>
public sealed class ServicesAfterRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public ServicesAfterRunTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Staging => _inventory.FindEnvironment("staging")!;

    private static FakeFleetReader Fleet(params (string Service, string Commit, string State)[] services)
    {
        var fleet = new FakeFleetReader().WithRunning("staging-1", services);
        var set = new GetServiceSetResponse { Commit = Samples.C2 };
        set.Services.Add(new ReleaseService { Name = "migrate", OneShot = true, Allowed = true });
        set.Services.Add(new ReleaseService { Name = "api", Allowed = true });
        fleet.ServiceSets[Samples.C2] = set;
        return fleet;
    }

    [Fact]
    public async Task A_stopped_release_service_is_down_and_an_exited_one_shot_is_not()
    {
        var fleet = Fleet(("api", Samples.C2, "exited"), ("migrate", Samples.C2, "exited"), ("postgres", "", "running"));

        var down = await ServicesAfterRun.DownAsync(fleet, Staging, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        Assert.Equal(["staging-1: api (exited)"], down);
    }

    [Fact]
    public async Task A_service_the_release_does_not_define_is_not_down()
    {
        var fleet = Fleet(("api", Samples.C2, "running"), ("migrate", Samples.C2, "exited"));
        fleet.Running["staging-1"].Add(new ServiceStatus { Name = "dashboard", State = "missing", NotInRelease = true });

        Assert.Empty((await ServicesAfterRun.DownAsync(fleet, Staging, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task A_crash_looping_service_read_between_two_exits_is_down()
    {
        var now = DateTimeOffset.UtcNow;
        var fleet = Fleet(("api", Samples.C2, "running"), ("migrate", Samples.C2, "exited"), ("worker", Samples.C2, "running"), ("admin", Samples.C2, "running"));
        var running = fleet.Running["staging-1"];
        // Docker restarted api 4 times (its start-up migration fails) and it is "running" again, not healthy yet.
        running[0].Health = "starting";
        running[0].RestartCount = 4;
        // The worker has no health check: restarted moments ago counts, restarted once and up for an hour does not.
        running[2].RestartCount = 2;
        running[2].Health = "none";
        running[2].StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddSeconds(-5));
        running[3].RestartCount = 1;
        running[3].Health = "none";
        running[3].StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddHours(-1));

        var down = await ServicesAfterRun.DownAsync(fleet, Staging, now, TestContext.Current.CancellationToken);

        Assert.Equal(["staging-1: api (crash-looping: restarted 4 times, not healthy yet)", "staging-1: worker (crash-looping: restarted 2 times, the last 5 s ago)"], down);
    }

    [Fact]
    public void An_unhealthy_running_service_is_down_and_a_healthy_one_that_restarted_once_is_not()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("running, unhealthy", ServicesAfterRun.Down(new ServiceStatus { Name = "api", State = "running", Health = "unhealthy" }, now));
        Assert.Null(ServicesAfterRun.Down(new ServiceStatus { Name = "api", State = "running", Health = "healthy", RestartCount = 1 }, now));
        Assert.Equal("restarting", ServicesAfterRun.Down(new ServiceStatus { Name = "api", State = "restarting", Health = "starting", RestartCount = 3 }, now));
    }

    [Fact]
    public void The_report_never_ticks_all_services_running_with_one_down()
    {
        var plan = JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1");
        var runId = JournalTestData.WriteRun(_inventory.RunsDir, plan, StepResult.Succeeded, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1));
        var run = new RunStore(_inventory.RunsDir).Get(runId);

        var report = IncidentReport.Render(_inventory, run, ["staging-1: dashboard (exited)"]);

        Assert.Contains("- [ ] All services running and healthy: down after the run: staging-1: dashboard (exited)", report, StringComparison.Ordinal);
        Assert.Contains("- [x] All services running and healthy (verified by the agents after each recreate, and every host's services read after the run)",
            IncidentReport.Render(_inventory, run, []), StringComparison.Ordinal);
    }
}
