using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// How a Type 2 stops traffic, as the environment's 'traffic:' chooses (runbook Type 2 step 1): 'stop'
/// (default: frontend and backend stopped), 'block' (ufw, open to the controller, let back one host at a
/// time after the checks) and 'maintenance' (the page up with the controller passing, the backend
/// stopped behind it, the page down after the checks); the order of the steps, the way back and the
/// next move of a failed run; a choice the hosts cannot carry out is refused before anything changes.
/// Every step runs through the engine with scripted stand-ins; the real ufw and nginx run in the fleet tests.
/// </summary>
public sealed class Type2TrafficTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EnvironmentConfig Production(string? traffic)
    {
        var text = traffic is null ? Samples.Inventory
            : Samples.Inventory.Replace("  production:\n", $"  production:\n    traffic: {traffic}\n", StringComparison.Ordinal);
        return InventoryLoader.Load(_dir.File("teafleet.yaml", text)).FindEnvironment("production")!;
    }

    private static FirewallStatusResponse Ufw(bool active) => new()
    {
        Available = true,
        Active = active,
        Message = active ? "" : "ufw is inactive on the host: enable it (ufw enable) before blocking",
        Ports = { new FirewallPort { Port = 80, Protocol = "tcp" }, new FirewallPort { Port = 443, Protocol = "tcp" } },
    };

    private static MaintenanceStatusResponse Page(bool configured = true) => configured
        ? new MaintenanceStatusResponse { Configured = true, Directory = "/var/lib/teafleet/maintenance", ProxyService = "frontend" }
        : new MaintenanceStatusResponse { Configured = false, Message = "no maintenance page on this host: set Agent:Maintenance:Directory" };

    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Migrations["prod-1"] = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DowngradeSteps = 1,
            UpgradeSteps = -1,
            Service = "backend",
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
            TargetHeads = { "0001_initial" },
            DowngradeRevisions = { "0002_teams" },
        };
        fleet.Firewalls["prod-1"] = Ufw(active: true);
        fleet.Firewalls["prod-2"] = Ufw(active: true);
        fleet.Maintenance["prod-1"] = Page();
        fleet.Maintenance["prod-2"] = Page();
        return fleet;
    }

    private static Task<Plan> PlanAsync(EnvironmentConfig environment, FakeFleetReader? fleet = null) =>
        new Planner(fleet ?? Fleet()).PlanRollbackAsync(environment, new RollbackRequest(null, []), Now, Ct);

    private static List<string> Forward(Plan plan) =>
        plan.Steps.Where(s => s.Undoes is null).Select(s => $"{s.Operation}@{s.Host}").ToList();

    [Fact]
    public async Task Without_traffic_in_the_inventory_Type_2_stops_frontend_and_backend_as_before_and_says_how_to_choose_otherwise()
    {
        var plan = await PlanAsync(Production(null));

        Assert.Equal(TrafficOption.Stop, Production(null).Traffic);
        var stops = plan.Steps.OfType<StopServicesStep>().Where(s => s.Undoes is null).ToList();
        Assert.Equal(["prod-1", "prod-2"], stops.Select(s => s.Host));
        Assert.All(stops, s => Assert.Equal(["frontend", "backend"], s.Services));
        Assert.Equal(2, stops[0].Index);
        Assert.Empty(plan.Steps.OfType<BlockTrafficStep>());
        Assert.Empty(plan.Steps.OfType<EnableMaintenanceStep>());
        Assert.Contains("'traffic: stop', the inventory's default", plan.Note, StringComparison.Ordinal);
        Assert.Contains("'traffic: block'", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_with_no_frontend_or_backend_stops_every_service_its_live_release_runs_never_a_data_service_or_a_one_shot()
    {
        var fleet = Fleet();
        fleet.Services.Clear();
        fleet.Services.AddRange(["api", "admin", "worker", "migrate", "postgres"]);
        var set = new GetServiceSetResponse { Commit = Samples.C2 };
        set.Services.Add(new ReleaseService { Name = "api", Image = "kiosk-api:" + Samples.C2, Allowed = true });
        set.Services.Add(new ReleaseService { Name = "admin", Image = "kiosk-admin:" + Samples.C2, Allowed = true });
        set.Services.Add(new ReleaseService { Name = "worker", Image = "kiosk-worker:" + Samples.C2, Allowed = true });
        set.Services.Add(new ReleaseService { Name = "migrate", Image = "kiosk-migrate:" + Samples.C2, OneShot = true, Allowed = true });
        set.Services.Add(new ReleaseService { Name = "postgres", Image = "kiosk-postgres:15", DataService = true, Allowed = true });
        set.SwitchServices.AddRange(["migrate", "api", "admin", "worker"]);
        fleet.ServiceSets[Samples.C2] = set;

        var plan = await PlanAsync(Production(null), fleet);

        var stops = plan.Steps.OfType<StopServicesStep>().Where(s => s.Undoes is null).ToList();
        Assert.Equal(["prod-1", "prod-2"], stops.Select(s => s.Host));
        Assert.All(stops, s => Assert.Equal(["api", "admin", "worker"], s.Services));
        Assert.Contains("api,admin,worker stop, so users get no answer", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_2_of_named_services_starts_again_what_it_stopped_for_the_schema_change_and_did_not_switch()
    {
        var plan = await new Planner(Fleet()).PlanRollbackAsync(Production(null), new RollbackRequest(null, ["backend"]), Now, Ct);

        var forward = Forward(plan);
        // Per host: the backend switched, then the frontend (stopped in step 1, not switched) started again, before the checks.
        var switchAt = forward.IndexOf("services.recreate@prod-2");
        Assert.Equal(["services.recreate@prod-1", "health.check@prod-1", "services.recreate@prod-2", "health.check@prod-2", "services.start@prod-1", "services.start@prod-2", "database.check@prod-1"],
            forward.Skip(forward.IndexOf("services.recreate@prod-1")).Take(7));
        Assert.True(switchAt > 0);
        Assert.All(plan.Steps.OfType<StartServicesStep>().Where(s => s.Undoes is null && s.RunsIf.Kind == StepConditionKind.Always), s => Assert.Equal(["frontend"], s.Services));

        // Without --services the switch takes every release service: nothing to start again.
        var all = await PlanAsync(Production(null));
        Assert.DoesNotContain(all.Steps.OfType<StartServicesStep>(), s => s.RunsIf.Kind == StepConditionKind.Always);
    }

    [Fact]
    public async Task A_service_that_would_roll_behind_a_proxy_that_step_1_stopped_is_planned_as_recreated()
    {
        var fleet = Fleet();
        var set = new GetServiceSetResponse { Commit = Samples.C1 };
        set.Services.Add(new ReleaseService { Name = "backend", Image = "tea-backend:" + Samples.C1, Allowed = true, SwitchMode = "rolling", SwitchReason = "no gap: a stand-in on 8001 behind frontend while it is recreated on 8000", Proxy = "frontend" });
        set.Services.Add(new ReleaseService { Name = "worker", Image = "tea-worker:" + Samples.C1, Allowed = true, SwitchMode = "recreate", SwitchReason = "not in Agent:App:Rolling" });
        set.Services.Add(new ReleaseService { Name = "frontend", Image = "tea-frontend:" + Samples.C1, Allowed = true, SwitchMode = "recreate", SwitchReason = "not in Agent:App:Rolling" });
        set.SwitchServices.AddRange(["backend", "worker", "frontend"]);
        fleet.ServiceSets[Samples.C1] = set;

        // 'traffic: stop' stops the frontend (the backend's proxy) in step 1: the backend is recreated, and the plan says why.
        var stopped = await new Planner(fleet).PlanRollbackAsync(Production(null), new RollbackRequest(null, ["backend", "worker"]), Now, Ct);
        Assert.Contains("backend: recreate (its proxy frontend is stopped by this plan before the switch: users get no answer then anyway)",
            stopped.Steps.OfType<RecreateServicesStep>().First(s => s.Undoes is null).Modes);

        // 'traffic: block' stops nothing: the backend rolls.
        var blocked = await new Planner(fleet).PlanRollbackAsync(Production("block"), new RollbackRequest(null, ["backend", "worker"]), Now, Ct);
        Assert.Contains("backend: rolling (no gap: a stand-in on 8001 behind frontend while it is recreated on 8000)",
            blocked.Steps.OfType<RecreateServicesStep>().First(s => s.Undoes is null).Modes);
    }

    [Fact]
    public async Task Traffic_block_denies_every_host_open_to_the_controller_stops_nothing_and_lets_traffic_back_host_by_host_after_the_checks()
    {
        var plan = await PlanAsync(Production("block"));

        var forward = Forward(plan);
        Assert.Equal(["migrations.render@prod-1", "firewall.block@prod-1", "firewall.block@prod-2", "database.backup@prod-1"], forward.Take(4));
        Assert.All(plan.Steps.OfType<BlockTrafficStep>(), b => Assert.True(b.KeepCaller));
        Assert.DoesNotContain(plan.Steps.OfType<StopServicesStep>(), s => s.Undoes is null);
        // Let back after the smoke test and past the way back, before the post-rollback backup: allow, health, allow, health.
        var smoke = plan.Steps.OfType<SmokeTestStep>().SingleOrDefault()?.Index ?? plan.Steps.OfType<HealthCheckStep>().Last(h => h.Host == PlanStep.ControllerHost).Index;
        var wayBackEnd = plan.Steps.Where(s => s.Undoes is not null).Max(s => s.Index);
        var allows = plan.Steps.OfType<AllowTrafficStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], allows.Select(a => a.Host));
        Assert.All(allows, a => Assert.True(a.Index > smoke && a.Index > wayBackEnd));
        // Each host watched (monitor: host_window) before the next lets its users in; then the backup and the environment's watch.
        Assert.Equal(["firewall.allow", "monitor", "firewall.allow", "monitor", "database.backup", "monitor"],
            forward.SkipWhile(f => !f.StartsWith("firewall.allow", StringComparison.Ordinal)).Select(f => f.Split('@')[0]));
        Assert.Contains("'traffic: block' in the inventory, runbook option B", plan.Note, StringComparison.Ordinal);
        Assert.Contains("'teafleet allow production'", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_maintenance_puts_the_page_up_stops_only_the_backend_behind_it_and_takes_it_down_after_the_checks()
    {
        var plan = await PlanAsync(Production("maintenance"));

        var forward = Forward(plan);
        Assert.Equal(["migrations.render@prod-1", "maintenance.enable@prod-1", "maintenance.enable@prod-2", "services.stop@prod-1", "services.stop@prod-2", "database.backup@prod-1"], forward.Take(6));
        var enables = plan.Steps.OfType<EnableMaintenanceStep>().ToList();
        Assert.All(enables, e => Assert.True(e.KeepCaller));
        Assert.All(enables, e => Assert.Equal($"Type 2 rollback of production to {GitRefs.Short(Samples.C1)}", e.Reason));
        // The proxy (frontend) keeps serving the page; only the backend stops, and the way back starts only it.
        Assert.All(plan.Steps.OfType<StopServicesStep>().Where(s => s.Undoes is null), s => Assert.Equal(["backend"], s.Services));
        Assert.All(plan.Steps.OfType<StartServicesStep>(), s => Assert.Equal(["backend"], s.Services));
        var wayBackEnd = plan.Steps.Where(s => s.Undoes is not null).Max(s => s.Index);
        Assert.All(plan.Steps.OfType<DisableMaintenanceStep>(), d => Assert.True(d.Index > wayBackEnd));
        Assert.Equal(["maintenance.disable@prod-1", "monitor@prod-1", "maintenance.disable@prod-2", "monitor@prod-2", "database.backup@prod-1"],
            forward.SkipWhile(f => !f.StartsWith("maintenance.disable", StringComparison.Ordinal)).Take(5));
        Assert.Equal("monitor", forward[^1].Split('@')[0]);
        Assert.Contains("'traffic: maintenance' in the inventory", plan.Note, StringComparison.Ordinal);
        Assert.Contains("frontend on prod-1", plan.Note, StringComparison.Ordinal);
        Assert.Contains("'teafleet maintenance production off'", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_block_with_a_host_whose_ufw_is_inactive_is_refused_at_plan_time_naming_the_host_and_the_other_choices()
    {
        var fleet = Fleet();
        fleet.Firewalls["prod-2"] = Ufw(active: false);

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Production("block"), fleet));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("'traffic: block'", error.Message, StringComparison.Ordinal);
        Assert.Contains("prod-2: ufw is inactive", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("'traffic: stop'", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_maintenance_on_hosts_without_the_page_is_refused_at_plan_time_saying_what_to_configure()
    {
        var fleet = Fleet();
        fleet.Maintenance["prod-1"] = Page(configured: false);
        fleet.Maintenance.Remove("prod-2");

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Production("maintenance"), fleet));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("prod-1: no maintenance page on this host: set Agent:Maintenance:Directory", error.Message, StringComparison.Ordinal);
        Assert.Contains("prod-2: its agent has no maintenance page", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agent:Maintenance (Directory, ProxyService)", error.Hint, StringComparison.Ordinal);
        Assert.Contains("docs/agent.md", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_traffic_word_names_the_line_and_the_three_choices()
    {
        var error = Assert.Throws<InventoryException>(() => Production("pause"));

        Assert.Contains("'traffic: pause' in environment 'production' is not one of stop, block, maintenance", error.Message, StringComparison.Ordinal);
        Assert.Contains(":16:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_block_run_leaves_the_hosts_blocked_after_its_way_back_and_says_teafleet_allow()
    {
        var plan = await PlanAsync(Production("block"));
        var smoke = plan.Steps.OfType<HealthCheckStep>().Last(h => h.Host == PlanStep.ControllerHost);

        var (outcome, run, ran) = Run(plan, s => s.Index == smoke.Index ? StepOutcome.Failure("http://10.77.0.21/health answered 500") : null);

        Assert.Equal(smoke.Index, outcome.FailedStep!.Index);
        Assert.Contains(ran, r => r.EndsWith("database.restore", StringComparison.Ordinal));
        Assert.DoesNotContain(ran, r => r.EndsWith("firewall.allow", StringComparison.Ordinal));
        var next = plan.Procedure.NextMove("-i inv", plan, outcome.FailedStep, run.Steps, run.RunId);
        Assert.Contains("Traffic is still blocked on prod-1, prod-2", next, StringComparison.Ordinal);
        Assert.Contains("'teafleet -i inv allow production'", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_maintenance_run_starts_the_backend_again_keeps_the_page_up_and_says_teafleet_maintenance_off()
    {
        var plan = await PlanAsync(Production("maintenance"));

        var (outcome, run, ran) = Run(plan, s => s is DowngradeStep
            ? StepOutcome.Failure("the database changed", [], new Dictionary<string, string> { [OperationResultKeys.Changed] = "true" })
            : null);

        Assert.IsType<DowngradeStep>(outcome.FailedStep);
        Assert.Equal(2, ran.Count(r => r.EndsWith("services.start", StringComparison.Ordinal)));
        Assert.DoesNotContain(ran, r => r.EndsWith("maintenance.disable", StringComparison.Ordinal));
        var next = plan.Procedure.NextMove("-i inv", plan, outcome.FailedStep, run.Steps, run.RunId);
        Assert.Contains("The maintenance page is still up on prod-1, prod-2", next, StringComparison.Ordinal);
        Assert.Contains("'teafleet -i inv maintenance production off'", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_maintenance_run_that_succeeds_takes_the_page_down_host_by_host_each_watched_before_the_post_rollback_backup()
    {
        var plan = await PlanAsync(Production("maintenance"));

        var (outcome, _, ran) = Run(plan, _ => null);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal(["maintenance.disable@prod-1", "monitor@prod-1", "maintenance.disable@prod-2", "monitor@prod-2", "database.backup@prod-1"],
            ran.Select(r => r.Split(':')).Select(p => $"{p[2]}@{p[1]}").SkipWhile(r => !r.StartsWith("maintenance.disable", StringComparison.Ordinal)).Take(5));
        Assert.DoesNotContain(ran, r => r.EndsWith("services.start", StringComparison.Ordinal));
    }

    private sealed class Scripted(Type stepType, Func<PlanStep, StepOutcome> script, List<string> ran, FakeTimeProvider time) : IStepExecutor
    {
        public Type StepType => stepType;

        public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
        {
            ran.Add($"{context.Step.Index}:{context.Step.Host}:{context.Step.Operation}");
            time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(script(context.Step));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    private (RunOutcome Outcome, RunRecord Run, List<string> Ran) Run(Plan plan, Func<PlanStep, StepOutcome?> fail)
    {
        var ran = new List<string>();
        StepOutcome Script(PlanStep step) => fail(step) ?? StepOutcome.Success("ok", step is BackupStep ? new Dictionary<string, string> { [OperationResultKeys.BackupId] = $"backup-of-{step.Index}" } : null);
        var executors = plan.Steps.Select(s => s.GetType()).Distinct().Select(t => (IStepExecutor)new Scripted(t, Script, ran, _time)).ToList();
        var runId = RunStore.NewRunId("production", _time);
        var inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));
        RunOutcome outcome;
        using (var journal = RunJournal.Create(_dir.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
            outcome = new RunEngine(executors, _time).ExecuteAsync(inventory, journal, plan, new HashSet<int>(), "test", "", new Quiet(), Ct).GetAwaiter().GetResult();
        }

        return (outcome, new RunStore(_dir.Path).Get(runId), ran);
    }
}
