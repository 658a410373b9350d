using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The runbook's scenarios as plans ('teafleet scenario NAME ENV'): which hosts, which services, in what order,
/// the queue flush on the database host and the worker's way back; the roles of an app of another shape; the
/// names that are refused. The real agents run them in the fleet tests.
/// </summary>
public sealed class ScenarioPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public ScenarioPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    /// <summary>1.0.0 (C1) then 1.1.0 (C2) deployed on both production hosts; no migrations (a Type 1 either way).</summary>
    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["1.0.0"] = Samples.C1;
        return fleet;
    }

    private static Task<Plan> PlanAsync(FakeFleetReader fleet, EnvironmentConfig environment, string name, string? to = null) =>
        new Planner(fleet).PlanScenarioAsync(environment, name, to, Now, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Bad_gateway_switches_only_the_backend_back_to_the_last_good_release_host_by_host()
    {
        var plan = await PlanAsync(Fleet(), Production, "bad-gateway");

        Assert.Equal(PlanKind.BadGateway, plan.Kind);
        Assert.Equal(RollbackType.CodeOnly, plan.Type);
        Assert.Equal(Samples.C1, plan.TargetCommit);
        Assert.Equal(["backend"], plan.Services);
        var recreates = plan.Steps.OfType<RecreateServicesStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], recreates.Select(r => r.Host));
        Assert.All(recreates, r => Assert.Equal(["backend"], r.Services));
        Assert.All(recreates, r => Assert.Equal(PlanKind.Rollback, r.Kind));
        Assert.DoesNotContain(plan.Steps, s => s is StopServicesStep or FlushQueueStep);
        Assert.True(plan.NeedsDrill);
        Assert.Contains("scenario bad-gateway staging --to " + Samples.C1, plan.Procedure.DrillCommand(_inventory, "staging", plan), StringComparison.Ordinal);
        Assert.Contains("backend on every host, one host at a time", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frontend_switches_only_the_frontend_to_the_ref_named_with_to()
    {
        var plan = await PlanAsync(Fleet(), Production, "frontend", "1.0.0");

        Assert.Equal(PlanKind.FrontendRollback, plan.Kind);
        Assert.Equal(["frontend"], plan.Services);
        Assert.All(plan.Steps.OfType<RecreateServicesStep>(), r => Assert.Equal(["frontend"], r.Services));
        Assert.Equal(2, plan.Steps.OfType<RecreateServicesStep>().Count());
    }

    [Fact]
    public async Task Worker_stops_the_worker_everywhere_flushes_the_queue_on_the_database_host_switches_the_worker_and_starts_it_again_on_the_way_back()
    {
        var plan = await PlanAsync(Fleet(), Production, "worker");

        Assert.Equal(PlanKind.WorkerRollback, plan.Kind);
        Assert.Equal(["worker"], plan.Services);
        var steps = plan.Steps;
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Index));
        var stops = steps.OfType<StopServicesStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], stops.Select(s => s.Host));
        Assert.All(stops, s => Assert.Equal(["worker"], s.Services));
        var flush = Assert.Single(steps.OfType<FlushQueueStep>());
        Assert.Equal(Production.DatabaseHost.Name, flush.Host);
        Assert.Empty(flush.Queues);
        Assert.True(flush.Index > stops.Max(s => s.Index));
        var recreates = steps.OfType<RecreateServicesStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], recreates.Select(r => r.Host));
        Assert.All(recreates, r => Assert.Equal(["worker"], r.Services));
        Assert.All(recreates, r => Assert.Equal(Samples.C1, r.Commit));
        Assert.True(recreates.Min(r => r.Index) > flush.Index);
        // The environment's health check, then the watch (the runbook's "watch its log") end the forward steps;
        // the way back, between them, starts the worker where it was stopped.
        var forward = steps.Where(s => s.Undoes is null).ToList();
        Assert.IsType<HealthCheckStep>(forward[^2]);
        Assert.Equal(PlanStep.ControllerHost, Assert.IsType<MonitorStep>(forward[^1]).Host);
        Assert.Equal(steps[^1], forward[^1]);
        var wayBack = steps.Where(s => s.Undoes is not null).ToList();
        Assert.Equal(["prod-1", "prod-2"], wayBack.Select(s => s.Host));
        Assert.All(wayBack, s => Assert.Equal(["worker"], Assert.IsType<StartServicesStep>(s).Services));
        Assert.Equal(stops.Select(s => (int?)s.Index), wayBack.Select(s => s.Undoes));
        Assert.Contains("Agent:Queue", plan.Note, StringComparison.Ordinal);
        Assert.Contains("Agent:Queue", flush.OnFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flush_step_is_journaled_as_queue_flush_and_read_back()
    {
        var plan = await PlanAsync(Fleet(), Production, "worker");
        var flush = plan.Steps.OfType<FlushQueueStep>().Single();

        var json = JsonSerializer.Serialize<PlanStep>(flush, TeaFleet.Controller.Engine.JournalJson.Options);

        Assert.Contains("\"operation\":\"queue.flush\"", json, StringComparison.Ordinal);
        Assert.Equal(flush.Host, Assert.IsType<FlushQueueStep>(JsonSerializer.Deserialize<PlanStep>(json, TeaFleet.Controller.Engine.JournalJson.Options)).Host);
    }

    [Fact]
    public async Task Migration_failed_is_the_repair_plan()
    {
        var fleet = Fleet();
        fleet.Migrations["prod-1"] = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C2, State = MigrationState.UpToDate, DatabaseHeads = { "0002_teams" }, CodeHeads = { "0002_teams" } };

        var scenario = await PlanAsync(fleet, Production, "migration-failed");
        var repair = await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken);

        Assert.Equal(PlanKind.Repair, scenario.Kind);
        Assert.Equal(repair.Note, scenario.Note);
        Assert.Equal(repair.Steps.Count, scenario.Steps.Count);
    }

    [Fact]
    public async Task An_app_with_api_admin_and_worker_gets_its_roles_from_the_inventory()
    {
        var inventory = InventoryLoader.Load(_dir.File("kiosk.yaml", Samples.Inventory.Replace("environments:", "roles: { backend: [api], frontend: [admin] }\nenvironments:", StringComparison.Ordinal)));
        var production = inventory.FindEnvironment("production")!;
        var fleet = Fleet();
        fleet.Services.Clear();
        fleet.Services.AddRange(["api", "admin", "worker", "migrate"]);

        var backend = await PlanAsync(fleet, production, "bad-gateway");
        var frontend = await PlanAsync(fleet, production, "frontend");
        var worker = await PlanAsync(fleet, production, "worker");

        Assert.All(backend.Steps.OfType<RecreateServicesStep>(), r => Assert.Equal(["api"], r.Services));
        Assert.All(frontend.Steps.OfType<RecreateServicesStep>(), r => Assert.Equal(["admin"], r.Services));
        Assert.All(worker.Steps.OfType<StopServicesStep>(), r => Assert.Equal(["worker"], r.Services));
    }

    [Fact]
    public async Task A_role_no_host_has_is_refused_with_the_roles_to_write()
    {
        var fleet = Fleet();
        fleet.Services.Clear();
        fleet.Services.AddRange(["api", "admin", "worker"]);

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet, Production, "bad-gateway"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("prod-1 has no service called 'backend'", error.Message, StringComparison.Ordinal);
        Assert.Contains("roles: { backend: [api] }", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_that_needs_a_downgrade_is_refused_for_teafleet_rollback()
    {
        var fleet = Fleet();
        fleet.Migrations["prod-1"] = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
            TargetHeads = { "0001_initial" },
            DowngradeSteps = 1,
            DowngradeRevisions = { "0002_teams" },
            Service = "backend",
        };

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet, Production, "bad-gateway", "1.0.0"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Equal("teafleet rollback production --to 1.0.0", error.Hint);
    }

    [Fact]
    public async Task An_unknown_scenario_and_security_without_before_are_refused_with_exit_code_2()
    {
        var unknown = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(), Production, "db-on-fire"));
        var security = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(), Production, "security"));

        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        Assert.Contains("bad-gateway, migration-failed, worker, frontend, security", unknown.Hint, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, security.ExitCode);
        Assert.Contains("needs --before TIME", security.Message, StringComparison.Ordinal);
        Assert.Contains("teafleet plan scenario security production --before", security.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_scenario_prints_the_plan_and_takes_no_lease_and_writes_nothing()
    {
        var fleet = Fleet();
        var time = new FakeTimeProvider(Now);
        var inventory = _dir.File("teafleet.yaml", Samples.Inventory);

        var (exit, output, _) = await CliRun.RunAsync(time, fleet, "plan", "scenario", "worker", "production", "-i", inventory, "--json");

        Assert.Equal(ExitCodes.Done, exit);
        var plan = JsonDocument.Parse(output.Split('\n')[0]).RootElement;
        Assert.Equal("worker-rollback", plan.GetProperty("kind").GetString());
        Assert.Contains("queue.flush", output, StringComparison.Ordinal);
        Assert.Empty(fleet.LeaseCalls.Calls);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state")));
    }

    [Fact]
    public async Task Scenario_security_without_before_and_an_unknown_name_exit_2_without_contacting_an_agent()
    {
        var fleet = Fleet();
        var time = new FakeTimeProvider(Now);
        var inventory = _dir.File("teafleet.yaml", Samples.Inventory);

        var (security, securityOutput, _) = await CliRun.RunAsync(time, fleet, "scenario", "security", "production", "-i", inventory, "--yes");
        var (unknown, unknownOutput, _) = await CliRun.RunAsync(time, fleet, "scenario", "db-on-fire", "production", "-i", inventory);

        Assert.Equal(ExitCodes.BadInput, security);
        Assert.Contains("--before", securityOutput, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, unknown);
        Assert.Contains("bad-gateway", unknownOutput, StringComparison.Ordinal);
        Assert.Empty(fleet.LeaseCalls.Calls);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state")));
    }

    [Fact]
    public async Task Plan_scenario_prints_the_runbook_title_and_each_step_in_words()
    {
        var inventory = _dir.File("teafleet.yaml", Samples.Inventory);

        var (exit, output, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), Fleet(), "plan", "scenario", "worker", "production", "-i", inventory);

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains("Scenario 3: worker processing jobs incorrectly", output, StringComparison.Ordinal);
        Assert.Contains("queue.flush", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_runs_a_scenario_only_after_the_same_scenario_on_staging()
    {
        var fleet = Fleet();
        var inventory = _dir.File("teafleet.yaml", Samples.Inventory);

        var (exit, output, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), fleet, "scenario", "bad-gateway", "production", "-i", inventory, "--yes");

        Assert.NotEqual(ExitCodes.Done, exit);
        Assert.Contains("the drill gate is closed: no scenario bad-gateway (backend: backend) to 111111111111 on 'staging'", output, StringComparison.Ordinal);
        Assert.Contains("scenario bad-gateway staging --to " + Samples.C1, output, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(_dir.Path, "state", "runs")) ? Directory.GetFiles(Path.Combine(_dir.Path, "state", "runs"), "*production*") : []);
    }
}
