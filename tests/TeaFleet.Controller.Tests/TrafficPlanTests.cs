using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The runbook's traffic steps as plans: Type 3 blocks the public ports of every host whose ufw is active
/// after it stops the app (open only to the controller, for its checks) and lets them back one host at a
/// time once the smoke test passes; 'block' and 'allow' on their own. The real ufw runs in the fleet tests.
/// </summary>
public sealed class TrafficPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public TrafficPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static FirewallStatusResponse Active() => new() { Available = true, Active = true, Ports = { new FirewallPort { Port = 80, Protocol = "tcp" }, new FirewallPort { Port = 443, Protocol = "tcp" } } };

    /// <summary>1.1.0 (C2) live on prod-1 and prod-2, a verified backup taken under 1.0.0 (C1) at its head.</summary>
    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["1.0.0"] = Samples.C1;
        fleet.Migrations["prod-1"] = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
            TargetHeads = { "0001_initial" },
            TargetRevisions = { "0001_initial" },
            TargetHistoryCommits = { Samples.C1 },
        };
        fleet.Backups["prod-1"] =
        [
            new Backup
            {
                Id = "20261120-140000-full",
                TakenAt = Timestamp.FromDateTimeOffset(Now.AddHours(-2)),
                Kind = BackupKind.Full,
                VerifyState = VerifyState.Verified,
                ReleaseCommit = Samples.C1,
                MigrationHead = "0001_initial",
            },
        ];
        return fleet;
    }

    private Task<Plan> Type3Async(FakeFleetReader fleet) =>
        new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest("1.0.0", [], Type: 3), Now, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Type_3_blocks_every_host_after_stopping_it_and_lets_them_back_one_at_a_time_after_the_smoke_test()
    {
        var fleet = Fleet();
        fleet.Firewalls["prod-1"] = Active();
        fleet.Firewalls["prod-2"] = Active();

        var plan = await Type3Async(fleet);

        var steps = plan.Steps;
        var blocks = steps.OfType<BlockTrafficStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], blocks.Select(b => b.Host));
        Assert.All(blocks, b => Assert.True(b.KeepCaller));
        // Blocked once the app is stopped, before the restore.
        Assert.True(blocks.All(b => b.Index > steps.OfType<StopServicesStep>().Max(s => s.Index) && b.Index < steps.OfType<RestoreStep>().Single().Index));
        // Back one host at a time after the last check (the environment's health URLs: this inventory has no
        // smoke checks): allow, that host watched, then the next host; the post-rollback backup, the watch.
        var check = steps.OfType<HealthCheckStep>().Last(s => s.Host == PlanStep.ControllerHost).Index;
        var after = steps.Where(s => s.Index > check).Select(s => (s.Host, s.Operation)).ToList();
        Assert.Equal(
            [("prod-1", "firewall.allow"), ("prod-1", "monitor"), ("prod-2", "firewall.allow"), ("prod-2", "monitor"), ("prod-1", "database.backup"), ("controller", "monitor")],
            after);
        var hostWatch = steps.OfType<MonitorStep>().First();
        Assert.Equal(TimeSpan.FromMinutes(1), hostWatch.Window);
        Assert.Equal(Production.HealthUrlsOf(Production.Hosts[0]), hostWatch.Urls);
        Assert.Contains("let back one host at a time", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_whose_ufw_is_inactive_or_whose_agent_has_no_firewall_is_not_blocked_and_the_plan_says_so()
    {
        var fleet = Fleet();
        fleet.Firewalls["prod-1"] = new FirewallStatusResponse { Available = true, Active = false, Message = "ufw is inactive on prod-1: enable it" };

        var plan = await Type3Async(fleet);

        Assert.Empty(plan.Steps.OfType<BlockTrafficStep>());
        Assert.Empty(plan.Steps.OfType<AllowTrafficStep>());
        Assert.Contains("No firewall block on prod-1: ufw is inactive on prod-1: enable it; prod-2: its agent has no firewall", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_type_3_says_which_hosts_are_still_blocked_and_how_to_let_traffic_back()
    {
        var fleet = Fleet();
        fleet.Firewalls["prod-1"] = Active();
        fleet.Firewalls["prod-2"] = Active();
        var plan = await Type3Async(fleet);
        var smoke = plan.Steps.OfType<HealthCheckStep>().Last(s => s.Host == PlanStep.ControllerHost);
        var records = plan.Steps.Where(s => s.Index < smoke.Index).ToDictionary(s => s.Index, s => Record(s, StepResult.Succeeded));
        records[smoke.Index] = Record(smoke, StepResult.Failed);

        var advice = plan.Procedure.NextMove("-i teafleet.yaml", plan, smoke, records, "RUN");

        Assert.Contains("Traffic is still blocked on prod-1, prod-2", advice, StringComparison.Ordinal);
        Assert.Contains("'teafleet -i teafleet.yaml allow production'", advice, StringComparison.Ordinal);
    }

    private static StepRecord Record(PlanStep step, StepResult result) =>
        new(step.Index, step.Host, step.Operation, null, Now, Now, result, null, 0, null);

    [Fact]
    public void Block_and_allow_plans_name_each_host_and_allow_checks_each_hosts_health_before_the_next()
    {
        var hosts = Production.Hosts;

        var block = BlockTrafficProcedure.Build(Production, hosts);
        var allow = AllowTrafficProcedure.Build(Production, hosts);

        Assert.Equal([("prod-1", "firewall.block"), ("prod-2", "firewall.block")], block.Steps.Select(s => (s.Host, s.Operation)));
        Assert.All(block.Steps.OfType<BlockTrafficStep>(), b => Assert.False(b.KeepCaller));
        Assert.Equal([("prod-1", "firewall.allow"), ("prod-1", "monitor"), ("prod-2", "firewall.allow"), ("prod-2", "monitor")], allow.Steps.Select(s => (s.Host, s.Operation)));
        Assert.False(block.Procedure.NeedsDrill);
        Assert.True(block.Procedure.WritesReport);
    }

    [Fact]
    public void Status_says_blocked_with_the_ports_and_the_command_that_undoes_it()
    {
        var firewall = Active();
        firewall.Ports[0].Blocked = true;
        firewall.Ports[0].BlockedAt = Timestamp.FromDateTimeOffset(Now);
        firewall.Ports[1].Blocked = true;

        Assert.Equal("[red]BLOCKED[/]: public ports 80/tcp, 443/tcp denied by TeaFleet since 2026-11-20 16:30:00Z (undo: teafleet allow production)", FirewallText.Line(firewall, "production"));
        Assert.Equal("firewall: open (ufw active; public ports 80/tcp, 443/tcp not blocked)", FirewallText.Line(Active(), "production"));
        Assert.Null(FirewallText.Line(null, "production"));
    }
}
