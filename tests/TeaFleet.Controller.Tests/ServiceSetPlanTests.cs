using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Plans by each release's own service set (the agents' Releases.GetServiceSet): what a switch removes
/// and creates, and what cannot succeed, refused at plan time before anything changes. Shaped after
/// Kiosk (deploy/sample-app-b): C1 = 1.0.0 (api, admin, dashboard), C2 = 1.1.0 (adds worker and the
/// one-shot migrate), C3 = 1.3.0 (api, admin, worker).
/// </summary>
public sealed class ServiceSetPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public ServiceSetPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static GetServiceSetResponse Set(string commit, params string[] services)
    {
        var response = new GetServiceSetResponse { Commit = commit };
        foreach (var name in services.Append("postgres").Append("redis"))
        {
            var data = name is "postgres" or "redis";
            response.Services.Add(new ReleaseService
            {
                Name = name,
                Image = name == "dashboard" ? "kiosk-upstream/dashboard:2.1.4" : data ? $"kiosk-{name}:15" : $"kiosk-{name}:{commit}",
                HasBuild = name != "dashboard",
                OneShot = name == "migrate",
                ReleaseTagged = !data && name != "dashboard",
                DataService = data,
                Allowed = true,
            });
        }

        response.SwitchServices.AddRange(services);
        if (services.Contains("migrate"))
        {
            response.MigrationService = "migrate";
        }

        return response;
    }

    private static FakeFleetReader Kiosk(params (string Commit, string Kind, string Previous)[] history)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], history);
        fleet.Services.Clear();
        fleet.Services.AddRange(["api", "admin", "worker", "migrate", "dashboard", "postgres", "redis"]);
        fleet.ServiceSets[Samples.C1] = Set(Samples.C1, "admin", "api", "dashboard");
        fleet.ServiceSets[Samples.C2] = Set(Samples.C2, "admin", "migrate", "api", "worker");
        fleet.ServiceSets[Samples.C3] = Set(Samples.C3, "admin", "api", "worker");
        fleet.Refs["1.0.0"] = Samples.C1;
        fleet.Refs["1.1.0"] = Samples.C2;
        fleet.Refs["1.3.0"] = Samples.C3;
        return fleet;
    }

    private static MigrationStatus Downgrade(string to)
    {
        var status = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C2, State = MigrationState.UpToDate, TargetCommit = to, DowngradeSteps = 1, Service = "api" };
        status.DatabaseHeads.Add("5e9d2b7c4a10");
        status.CodeHeads.Add("5e9d2b7c4a10");
        status.TargetHeads.Add("a3c1e5f70b21");
        status.DowngradeRevisions.Add("5e9d2b7c4a10");
        return status;
    }

    [Fact]
    public async Task A_rollback_to_a_release_without_the_worker_removes_it_and_creates_what_the_target_has()
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));

        var plan = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", []), Now, TestContext.Current.CancellationToken);

        var switches = plan.Steps.OfType<RecreateServicesStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], switches.Select(s => s.Host));
        Assert.All(switches, s => Assert.Equal(["migrate", "worker"], s.Removes));
        Assert.All(switches, s => Assert.Equal(["dashboard"], s.Creates));
        Assert.Contains(new KeyValuePair<string, string>("removes", "migrate,worker"), switches[0].DescribeArguments());
        Assert.Empty(switches[0].Services);
    }

    [Fact]
    public async Task A_deploy_to_a_release_that_adds_the_worker_creates_it_and_removes_nothing_the_target_keeps()
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""));

        var plan = await new Planner(fleet).PlanDeployAsync(Production, "1.3.0", [], TestContext.Current.CancellationToken);

        var first = plan.Steps.OfType<RecreateServicesStep>().First();
        Assert.Equal(["worker"], first.Creates);
        Assert.Equal(["dashboard"], first.Removes);
        Assert.Contains(new KeyValuePair<string, string>("creates", "worker"), first.DescribeArguments());

        // Data services are never in either list, and a switch to the same set changes nothing.
        var same = await new Planner(Kiosk((Samples.C2, "deploy", ""))).PlanDeployAsync(Production, "1.3.0", [], TestContext.Current.CancellationToken);
        var fromC2 = same.Steps.OfType<RecreateServicesStep>().First();
        Assert.Equal(["migrate"], fromC2.Removes);
        Assert.Empty(fromC2.Creates);
    }

    [Fact]
    public async Task A_stray_container_the_release_does_not_define_is_named_by_the_plan_and_removed_by_its_switch()
    {
        // prod-1 runs 1.1.0 and a dashboard container left by hand (1.1.0 does not define it); prod-2 has none.
        var fleet = Kiosk((Samples.C2, "deploy", ""));
        fleet.WithRunning("prod-1", ("api", Samples.C2, "running"), ("admin", Samples.C2, "running"), ("worker", Samples.C2, "running"), ("migrate", Samples.C2, "exited"));
        fleet.Running["prod-1"].Add(new ServiceStatus { Name = "dashboard", ContainerId = "c-stray", State = "running", NotInRelease = true });

        var plan = await new Planner(fleet).PlanDeployAsync(Production, "1.3.0", [], TestContext.Current.CancellationToken);

        Assert.Contains("prod-1: a container of dashboard runs, which the release there does not define (left by an older release or by hand); the switch in this plan removes it", plan.Warnings!);
        var switches = plan.Steps.OfType<RecreateServicesStep>().Where(s => s.Undoes is null).ToDictionary(s => s.Host);
        Assert.Equal(["migrate", "dashboard"], switches["prod-1"].Removes);
        Assert.Equal(["migrate"], switches["prod-2"].Removes);
    }

    [Fact]
    public async Task The_plan_says_per_service_whether_it_rolls_with_no_gap_or_is_recreated_and_why()
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        foreach (var service in fleet.ServiceSets[Samples.C1].Services.Where(s => !s.DataService))
        {
            (service.SwitchMode, service.SwitchReason, service.Proxy) = service.Name == "api"
                ? ("rolling", "no gap: a stand-in on 8001 behind admin while it is recreated on 8000", "admin")
                : ("recreate", "not in Agent:App:Rolling", "");
        }

        // The api alone rolls behind its proxy.
        var alone = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", ["api"]), Now, TestContext.Current.CancellationToken);
        var modes = alone.Steps.OfType<RecreateServicesStep>().First().DescribeArguments().Single(a => a.Key == "modes").Value;
        Assert.Equal("api: rolling (no gap: a stand-in on 8001 behind admin while it is recreated on 8000)", modes);

        // With its proxy in the same switch it cannot: the proxy itself restarts; the plan says so and how to avoid it.
        var all = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", []), Now, TestContext.Current.CancellationToken);
        var together = all.Steps.OfType<RecreateServicesStep>().First().Modes;
        Assert.Contains(together, m => m.StartsWith("api: recreate (an outage while it starts: its proxy admin is recreated in the same switch; switch api alone, --services api", StringComparison.Ordinal));
        Assert.Contains("admin: recreate (an outage while it starts: not in Agent:App:Rolling)", together);
    }

    [Theory]
    [InlineData("1.0.0", "worker")]
    [InlineData("1.3.0", "migrate")]
    public async Task A_named_service_missing_at_the_target_is_refused_at_plan_time_with_exit_2(string release, string service)
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));

        var deploy = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanDeployAsync(Production, release, ["api", service], TestContext.Current.CancellationToken));
        var rollback = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest(release, ["api", service]), Now, TestContext.Current.CancellationToken));

        foreach (var error in new[] { deploy, rollback })
        {
            Assert.Equal(ExitCodes.BadInput, error.ExitCode);
            Assert.Equal(2, error.ExitCode);
            Assert.Contains($"service '{service}' does not exist at {release} on prod-1", error.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_Type_2_whose_target_cannot_be_switched_is_refused_before_its_downgrade()
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Migrations["prod-1"] = Downgrade(Samples.C1);
        var broken = Set(Samples.C1, "admin", "api");
        broken.Services.Add(new ReleaseService { Name = "sidecar", Allowed = true });
        broken.Problems.Add("cannot switch to 1111111: service sidecar has neither image: nor build: at 1111111");
        fleet.ServiceSets[Samples.C1] = broken;

        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", []), Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("1.0.0 cannot be switched to on prod-1: cannot switch to 1111111: service sidecar has neither image: nor build:", error.Message, StringComparison.Ordinal);

        // The same rollback with a switchable target is a Type 2 whose downgrade comes before the switch.
        fleet.ServiceSets[Samples.C1] = Set(Samples.C1, "admin", "api", "dashboard");
        var plan = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", []), Now, TestContext.Current.CancellationToken);
        Assert.Equal(RollbackType.CodeAndDatabase, plan.Type);
        Assert.True(plan.Steps.OfType<DowngradeStep>().Single().Index < plan.Steps.OfType<RecreateServicesStep>().First().Index);
    }

    [Fact]
    public async Task A_Type_2_of_named_services_that_leaves_others_on_newer_code_is_refused_with_the_command_that_takes_them_along()
    {
        // 1.1.0 -> 1.0.0 downgrades the database; the admin named alone would leave api and worker on 1.1.0's
        // code (written for 5e9d2b7c4a10) running on a3c1e5f70b21. The one-shot migrate and the data services do not count.
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Migrations["prod-1"] = Downgrade(Samples.C1);
        fleet.Refs["1.0.0"] = Samples.C1;
        foreach (var host in new[] { "prod-1", "prod-2" })
        {
            fleet.WithRunning(host, ("api", Samples.C2, "running"), ("admin", Samples.C2, "running"), ("worker", Samples.C2, "restarting"),
                ("migrate", Samples.C2, "exited"), ("postgres", "", "running"), ("redis", "", "running"));
        }

        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", ["admin"]), Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("puts the database back to a3c1e5f70b21 under every service, but api, worker would keep running newer code on it on prod-1 (222222222222), prod-2 (222222222222)", error.Message, StringComparison.Ordinal);
        // 1.0.0 has no worker: only leaving --services out removes it.
        Assert.StartsWith("Leave --services out: teafleet rollback production --to 1.0.0 (every service goes back, and worker, which 1.0.0 does not define, is removed)", error.Hint, StringComparison.Ordinal);

        // Where the others exist at the target, the hint names them all.
        fleet.ServiceSets[Samples.C1] = Set(Samples.C1, "admin", "api", "worker");
        error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", ["admin"]), Now, TestContext.Current.CancellationToken));
        Assert.StartsWith("Take them along: teafleet rollback production --to 1.0.0 --services admin,api,worker;", error.Hint, StringComparison.Ordinal);

        // Named together, the Type 2 is planned.
        var plan = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", ["admin", "api", "worker"]), Now, TestContext.Current.CancellationToken);
        Assert.Equal(RollbackType.CodeAndDatabase, plan.Type);
    }

    [Fact]
    public async Task Hosts_whose_agent_cannot_read_service_sets_are_planned_as_before()
    {
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.ServiceSets.Clear();

        var plan = await new Planner(fleet).PlanDeployAsync(Production, "1.0.0", ["worker"], TestContext.Current.CancellationToken);

        Assert.All(plan.Steps.OfType<RecreateServicesStep>(), s => Assert.Equal((0, 0), (s.Removes.Count, s.Creates.Count)));
    }

    [Fact]
    public async Task A_health_URL_that_belongs_to_a_service_is_checked_only_where_the_target_defines_it()
    {
        var inventory = InventoryLoader.Load(_dir.File("kiosk.yaml", Samples.Inventory.Replace(
            """health_urls: [ "http://10.77.0.21/health", "http://10.77.0.22/health" ]""",
            """
            health_urls:
                  - "http://10.77.0.21/health"
                  - { url: "http://10.77.0.21:8090/", service: dashboard }
            """.Trim(), StringComparison.Ordinal)));
        var production = inventory.FindEnvironment("production")!;
        Assert.Equal("dashboard", production.HealthUrlServices![new Uri("http://10.77.0.21:8090/")]);
        var fleet = Kiosk((Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));

        var to100 = await new Planner(fleet).PlanRollbackAsync(production, new RollbackRequest("1.0.0", []), Now, TestContext.Current.CancellationToken);
        var to130 = await new Planner(fleet).PlanDeployAsync(production, "1.3.0", [], TestContext.Current.CancellationToken);

        static IEnumerable<string> Urls(Plan plan, string host) => plan.Steps.OfType<HealthCheckStep>().Where(s => s.Host == host).SelectMany(s => s.Urls).Select(u => u.ToString());
        Assert.Equal(["http://10.77.0.21/health", "http://10.77.0.21:8090/"], Urls(to100, "prod-1"));
        Assert.Equal(["http://10.77.0.21/health", "http://10.77.0.21:8090/"], Urls(to100, PlanStep.ControllerHost));
        Assert.Equal(["http://10.77.0.21/health"], Urls(to130, "prod-1"));
        Assert.Equal(["http://10.77.0.21/health"], Urls(to130, PlanStep.ControllerHost));
    }
}
