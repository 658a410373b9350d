using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Issue 11 items 7 and 10: a deploy whose migration fails leaves the previous release serving. With
/// Agent:Migrations:RunOnDeploy the upgrade is its own step before any switch; otherwise the deploy's way
/// back switches the hosts back, but only once the database is found unchanged. The repair never
/// downgrades a revision the last good release had applied. The real deploy that fails in Kiosk 1.3.0's
/// migration runs in the fleet tests (KioskFailureTests).
/// </summary>
public sealed class FailedDeployPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public FailedDeployPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    /// <summary>Both hosts run C2; C3's scripts are one migration ahead of the database.</summary>
    private static FakeFleetReader Fleet(bool runOnDeploy, int upgradeSteps = 1)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["v3"] = Samples.C3;
        fleet.MigrationsByTarget[Samples.C3] = new MigrationStatus
        {
            Host = "prod-1",
            DatabaseHeads = { "0002_teams" },
            CodeCommit = Samples.C2,
            TargetCommit = Samples.C3,
            TargetHeads = { "0003_scores" },
            UpgradeSteps = upgradeSteps,
            Service = "backend",
            RunOnDeploy = runOnDeploy,
        };
        return fleet;
    }

    private Task<Plan> DeployAsync(FakeFleetReader fleet, params string[] services) =>
        new Planner(fleet).PlanDeployAsync(Production, "v3", services, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_start_up_migration_deploy_goes_back_only_after_the_database_is_found_unchanged()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: false));

        var forward = plan.Steps.Where(s => s.Undoes is null).ToList();
        Assert.IsType<BackupStep>(forward[0]);
        Assert.DoesNotContain(forward, s => s is UpgradeStep);
        var switches = forward.OfType<RecreateServicesStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], switches.Select(s => s.Host));

        var gate = Assert.Single(plan.Steps.OfType<CheckDatabaseStep>());
        Assert.Equal("0002_teams", gate.ExpectHead);
        Assert.Equal(switches[0].Index, gate.Undoes);
        Assert.True(gate.RunsIf.UndoesFailedStep);
        Assert.True(gate.Index > forward[^1].Index);

        var backs = plan.Steps.OfType<RecreateServicesStep>().Where(s => s.Undoes is not null).ToList();
        Assert.Equal(["prod-1", "prod-2"], backs.Select(s => s.Host));
        Assert.All(backs, b => Assert.Equal(Samples.C2, b.Commit));
        Assert.All(backs, b => Assert.Equal(PlanKind.Rollback, b.Kind));
        Assert.All(backs, b => Assert.Equal(gate.Index, b.Requires));
        Assert.Equal(switches.Select(s => s.Index), backs.Select(b => b.Undoes!.Value));
        Assert.Contains("once step", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gate_also_compares_the_schema_and_ignores_what_was_different_before_the_deploy()
    {
        var fleet = Fleet(runOnDeploy: false);
        var leftovers = new LeftoversResponse { Host = "prod-1", Compared = true, ReferenceBackupId = "b1" };
        leftovers.Differences.Add(new SchemaDifference { Kind = SchemaDifferenceKind.Extra, ObjectType = "TYPE", Schema = "public", Name = "order_status" });
        fleet.Leftovers["prod-1"] = leftovers;

        var plan = await DeployAsync(fleet);

        var gate = Assert.Single(plan.Steps.OfType<CheckDatabaseStep>());
        Assert.True(gate.SameSchema);
        Assert.Equal(["extra TYPE public.order_status"], gate.KnownDifferences);
    }

    [Fact]
    public async Task RunOnDeploy_upgrades_with_the_targets_scripts_after_the_backup_and_before_any_switch()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: true));

        var backup = Assert.IsType<BackupStep>(plan.Steps[0]);
        var upgrade = Assert.IsType<UpgradeStep>(plan.Steps[1]);
        Assert.Equal(Samples.C3, upgrade.Commit);
        Assert.Equal(backup.Index, upgrade.BackupStep);
        Assert.Equal("prod-1", upgrade.Host);
        Assert.True(upgrade.Destructive);
        Assert.Contains(new KeyValuePair<string, string>("commit", Samples.C3), upgrade.DescribeArguments());
        Assert.IsType<RecreateServicesStep>(plan.Steps[2]);
    }

    [Fact]
    public async Task A_deploy_without_migrations_goes_back_without_a_database_gate()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: true, upgradeSteps: 0));

        Assert.DoesNotContain(plan.Steps, s => s is BackupStep or UpgradeStep or CheckDatabaseStep);
        var backs = plan.Steps.OfType<RecreateServicesStep>().Where(s => s.Undoes is not null).ToList();
        Assert.Equal(2, backs.Count);
        Assert.All(backs, b => Assert.Null(b.Requires));
    }

    [Fact]
    public async Task After_the_way_back_the_next_move_says_the_previous_release_serves_and_the_database_is_unchanged()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: false));
        var firstSwitch = plan.Steps.OfType<RecreateServicesStep>().First();
        var gate = plan.Steps.OfType<CheckDatabaseStep>().Single();
        var back = plan.Steps.OfType<RecreateServicesStep>().First(s => s.Undoes is not null);
        var steps = new Dictionary<int, StepRecord>
        {
            [firstSwitch.Index] = Record(firstSwitch, StepResult.Failed),
            [gate.Index] = Record(gate, StepResult.Succeeded),
            [back.Index] = Record(back, StepResult.Succeeded),
        };

        var next = plan.Procedure.NextMove("-i inv", plan, firstSwitch, steps, "run-1");

        Assert.Contains("prod-1 went back to 222222222222: the previous release serves again", next, StringComparison.Ordinal);
        Assert.Contains("The database is unchanged at 0002_teams", next, StringComparison.Ordinal);
        Assert.Contains("teafleet -i inv deploy production", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_migration_moved_the_database_the_hosts_keep_the_new_code_and_the_next_move_is_the_repair()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: false));
        var firstSwitch = plan.Steps.OfType<RecreateServicesStep>().First();
        var gate = plan.Steps.OfType<CheckDatabaseStep>().Single();
        var steps = new Dictionary<int, StepRecord>
        {
            [firstSwitch.Index] = Record(firstSwitch, StepResult.Failed),
            [gate.Index] = Record(gate, StepResult.Failed) with { Data = new Dictionary<string, string> { [OperationResultKeys.MigrationHead] = "0003a_half" } },
        };

        var next = plan.Procedure.NextMove("-i inv", plan, firstSwitch, steps, "run-1");

        Assert.Contains("no longer at 0002_teams (now 0003a_half)", next, StringComparison.Ordinal);
        Assert.Contains("teafleet -i inv repair migration-failed production", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_upgrade_step_says_no_service_switched()
    {
        var plan = await DeployAsync(Fleet(runOnDeploy: true));
        var upgrade = plan.Steps.OfType<UpgradeStep>().Single();

        var next = plan.Procedure.NextMove("-i inv", plan, upgrade, new Dictionary<int, StepRecord> { [upgrade.Index] = Record(upgrade, StepResult.Failed) }, "run-1");

        Assert.Contains("the migration failed before any service switched: every host still runs 222222222222", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repair_never_downgrades_the_head_the_last_good_release_applied()
    {
        var fleet = BehindTheLiveCode(database: "0002_teams", code: "0003_scores");
        fleet.Leftovers["prod-1"] = new LeftoversResponse { Host = "prod-1", Compared = true, ReferenceBackupId = "b1", Reason = "the newest verified backup at 0002_teams" };

        var plan = await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken);

        Assert.True(plan.NothingToDo);
        Assert.Contains("nothing half-applied", plan.Note, StringComparison.Ordinal);
        Assert.Contains("the head of the last release that succeeded on prod-1 (222222222222)", plan.Note, StringComparison.Ordinal);
        Assert.Contains("teafleet rollback production", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_failed_upgrade_committed_at_the_last_good_head_is_dropped_never_downgraded()
    {
        var fleet = BehindTheLiveCode(database: "0002_teams", code: "0003_audit");
        var leftovers = new LeftoversResponse { Host = "prod-1", Compared = true, ReferenceBackupId = "b1" };
        leftovers.Differences.Add(new SchemaDifference { Kind = SchemaDifferenceKind.Extra, ObjectType = "TABLE", Schema = "public", Name = "audit_log", Droppable = true });
        fleet.Leftovers["prod-1"] = leftovers;

        var plan = await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken);

        var upgrade = Assert.Single(plan.Steps.OfType<UpgradeStep>());
        var drop = Assert.Single(plan.Steps.OfType<RepairLeftoversStep>());
        Assert.Equal(upgrade.Index + 1, drop.Index);
        Assert.True(drop.IsFallback);
        Assert.Contains("extra TABLE public.audit_log", drop.Verification, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Steps, s => s is DowngradeStep);
    }

    [Fact]
    public async Task A_half_applied_migration_past_the_last_good_head_is_still_repaired()
    {
        var fleet = BehindTheLiveCode(database: "0003a_half", code: "0003_scores");

        var plan = await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken);

        Assert.Contains(plan.Steps, s => s is UpgradeStep);
        Assert.Contains(plan.Steps, s => s is DowngradeStep);
    }

    /// <summary>The live code (C3) is ahead of the database after its upgrade failed; C2, whose head is 0002_teams, was the last release that succeeded.</summary>
    private static FakeFleetReader BehindTheLiveCode(string database, string code)
    {
        var fleet = new FakeFleetReader();
        fleet.Migrations["prod-1"] = new MigrationStatus
        {
            Host = "prod-1",
            DatabaseHeads = { database },
            CodeCommit = Samples.C3,
            CodeHeads = { code },
            State = MigrationState.Behind,
            Detail = "the database is behind the live code",
            LastGoodCommit = Samples.C2,
            LastGoodHead = "0002_teams",
        };
        return fleet;
    }

    private static StepRecord Record(PlanStep step, StepResult result) =>
        new(step.Index, step.Host, step.Operation, null, Now, Now, result, null, 0, null);
}
