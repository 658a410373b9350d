using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>How the planner chooses the runbook's type and lays out Type 2, Type 3 and scenario 2 (the plans run for real in the fleet tests).</summary>
public sealed class RollbackTypePlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public RollbackTypePlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static FakeFleetReader Fleet(string dbHead, string targetHead, int downgradeSteps = -1, int upgradeSteps = -1)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        var status = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DowngradeSteps = downgradeSteps,
            UpgradeSteps = upgradeSteps,
            Service = "backend",
        };
        status.DatabaseHeads.Add(dbHead);
        status.CodeHeads.Add(dbHead);
        status.TargetHeads.Add(targetHead);
        if (downgradeSteps > 0)
        {
            status.DowngradeRevisions.Add(dbHead);
        }

        fleet.Migrations["prod-1"] = status;
        return fleet;
    }

    private static Backup Backup(string id, string at, VerifyState state = VerifyState.Verified, string release = Samples.C1) => new()
    {
        Id = id,
        TakenAt = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)),
        Kind = BackupKind.Full,
        VerifyState = state,
        ReleaseCommit = release,
        MigrationHead = "0001_initial",
    };

    [Theory]
    [InlineData("0001_initial", 0)]
    [InlineData("0002_teams", 1)]
    public async Task Type_1_and_type_2_end_with_the_inventorys_smoke_checks_login_included(string dbHead, int downgrade)
    {
        const string Health = "    health_urls: [ \"http://10.77.0.21/health\", \"http://10.77.0.22/health\" ]\n";
        Assert.Contains(Health, Samples.Inventory, StringComparison.Ordinal);
        var withSmoke = InventoryLoader.Load(_dir.File("smoke.yaml", Samples.Inventory.Replace(Health, Health +
            "    smoke:\n" +
            "      base_url: http://10.77.0.22\n" +
            "      checks:\n" +
            "        - { name: login, method: POST, path: /api/v1/login, body: '{\"user\":\"admin\",\"password\":\"admin\"}' }\n" +
            "        - { name: read, method: GET, path: /api/v1/records }\n", StringComparison.Ordinal)));
        var production = withSmoke.FindEnvironment("production")!;
        var fleet = downgrade > 0 ? Fleet(dbHead, "0001_initial", downgradeSteps: downgrade) : Fleet(dbHead, dbHead);

        var plan = await new Planner(fleet).PlanRollbackAsync(production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);

        Assert.Equal(downgrade > 0 ? RollbackType.CodeAndDatabase : RollbackType.CodeOnly, plan.Type);
        var smoke = Assert.IsType<SmokeTestStep>(Assert.Single(plan.Steps, s => s is SmokeTestStep));
        Assert.Equal(["login", "read"], smoke.Checks);
        // After the code switch and the health URLs: what the users do is the last word before the backup of the result.
        Assert.True(plan.Steps.ToList().IndexOf(smoke) > plan.Steps.ToList().FindLastIndex(s => s is RecreateServicesStep or HealthCheckStep && s.Undoes is null));

        // Without smoke checks in the inventory there is no step (and nothing to tick in the report).
        var bare = await new Planner(Fleet(dbHead, dbHead)).PlanRollbackAsync(Production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(bare.Steps, s => s is SmokeTestStep);
    }

    [Fact]
    public async Task A_deploy_whose_start_up_migrates_takes_a_verified_backup_on_the_database_host_first()
    {
        var fleet = Fleet("0001_initial", "0002_teams", upgradeSteps: 1);
        fleet.Refs["v3"] = Samples.C3;

        var plan = await new Planner(fleet).PlanDeployAsync(Production, "v3", [], TestContext.Current.CancellationToken);
        Assert.Equal(["prod-1:database.backup", "prod-1:services.recreate"], plan.Steps.Take(2).Select(s => $"{s.Host}:{s.Operation}"));
        Assert.Equal(BackupKind.Full, Assert.IsType<BackupStep>(plan.Steps[0]).Kind);

        // Nothing that migrates is restarted, or the heads are the same: no backup.
        var frontend = await new Planner(fleet).PlanDeployAsync(Production, "v3", ["frontend"], TestContext.Current.CancellationToken);
        Assert.DoesNotContain(frontend.Steps, s => s.Operation == OperationKinds.DatabaseBackup);
        var same = Fleet("0001_initial", "0001_initial", upgradeSteps: 0);
        same.Refs["v3"] = Samples.C3;
        Assert.DoesNotContain((await new Planner(same).PlanDeployAsync(Production, "v3", [], TestContext.Current.CancellationToken)).Steps,
            s => s.Operation == OperationKinds.DatabaseBackup);
    }

    [Fact]
    public async Task A_deploy_of_a_release_older_than_the_database_is_refused_with_the_rollback_to_run()
    {
        var fleet = Fleet("0002_teams", "0001_initial", downgradeSteps: 1);
        fleet.Refs["v1"] = Samples.C1;

        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanDeployAsync(Production, "v1", [], TestContext.Current.CancellationToken));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("older than the database", error.Message, StringComparison.Ordinal);
        Assert.Contains("teafleet rollback production --to v1", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_head_is_Type_1_an_older_head_is_Type_2_with_the_downgrade_between_backup_and_switch()
    {
        var same = await new Planner(Fleet("0001_initial", "0001_initial")).PlanRollbackAsync(Production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);
        Assert.Equal(RollbackType.CodeOnly, same.Type);
        Assert.Contains("is the database's", same.TypeReason, StringComparison.Ordinal);
        Assert.DoesNotContain(same.Steps, s => s.Operation.StartsWith("migrations.", StringComparison.Ordinal));

        var plan = await new Planner(Fleet("0002_teams", "0001_initial", downgradeSteps: 1)).PlanRollbackAsync(Production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);
        Assert.Equal(RollbackType.CodeAndDatabase, plan.Type);
        Assert.Equal(Samples.C1, plan.TargetCommit);
        var operations = plan.Steps.Select(s => $"{s.Host}:{s.Operation}").ToList();
        Assert.Equal(
            ["prod-1:migrations.render", "prod-1:services.stop", "prod-2:services.stop", "prod-1:database.backup", "prod-1:migrations.check", "prod-1:migrations.downgrade",
             "prod-1:services.recreate", "prod-2:services.recreate", "prod-1:database.check", "controller:health.check",
             // the way back (only when the run fails), then the post-rollback backup
             "prod-1:services.stop", "prod-2:services.stop", "prod-1:database.restore", "prod-1:services.recreate", "prod-2:services.recreate",
             "prod-1:services.start", "prod-2:services.start",
             "prod-1:database.backup", "controller:monitor"],
            operations.Where(o => !o.EndsWith("health.check", StringComparison.Ordinal) || o.StartsWith("controller", StringComparison.Ordinal)).ToList());
        var downgrade = plan.Steps.OfType<DowngradeStep>().Single();
        Assert.Equal(1, downgrade.Steps);
        Assert.Equal("0001_initial", downgrade.Revision);
        Assert.Equal(plan.Steps.OfType<BackupStep>().First().Index, downgrade.BackupStep);
        // The checklist's "backup created post-rollback": a full one once the app answers again; then the watch.
        var post = Assert.IsType<BackupStep>(plan.Steps[^2]);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsType<MonitorStep>(plan.Steps[^1]).Window);
        Assert.Equal((BackupKind.Full, true), (post.Kind, post.PostRollback));
        Assert.True(downgrade.Destructive);
        Assert.Equal(["frontend", "backend"], Assert.IsType<StopServicesStep>(plan.Steps[1]).Services);
        Assert.Equal("0001_initial", plan.Steps.OfType<CheckDatabaseStep>().Single().ExpectHead);
        Assert.NotEqual(same.DrillKey, plan.DrillKey);
    }

    [Fact]
    public async Task A_database_the_live_code_cannot_bring_to_the_target_by_migrations_points_at_Type_3()
    {
        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(Fleet("0009_unknown", "0001_initial")).PlanRollbackAsync(Production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("--type 3", error.Hint, StringComparison.Ordinal);

        var forced = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(Fleet("0001_initial", "0001_initial")).PlanRollbackAsync(Production, new RollbackRequest(null, [], Type: 2), Now, TestContext.Current.CancellationToken));
        Assert.Contains("--type 2 does not fit this rollback: it is Type 1", forced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_3_before_a_time_takes_the_newest_verified_backup_before_it_and_the_release_live_then()
    {
        var fleet = Fleet("0002_teams", "0001_initial", downgradeSteps: 1);
        fleet.Refs[Samples.C1] = Samples.C1;
        fleet.Backups["prod-1"] =
        [
            Backup("20261120-150000-quick", "2026-11-20T15:00:00Z", VerifyState.Unverified, Samples.C2),
            Backup("20261120-140000-full", "2026-11-20T14:00:00Z"),
            Backup("20261120-130000-full", "2026-11-20T13:00:00Z", VerifyState.Failed),
            Backup("20261120-120000-full", "2026-11-20T12:00:00Z"),
        ];
        var before = DateTimeOffset.Parse("2026-11-20T15:30:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var plan = await new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest(null, [], Before: before), Now, TestContext.Current.CancellationToken);

        Assert.Equal(RollbackType.FullSystem, plan.Type);
        Assert.Equal("20261120-140000-full", plan.Steps.OfType<RestoreStep>().Single().BackupId);
        Assert.Equal(Samples.C1, plan.TargetCommit);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), plan.DataLossSince);
        Assert.Contains("everything written after 2026-11-20 14:00:00Z (2 h 30 min before planning) is lost", plan.Note, StringComparison.Ordinal);
        Assert.All(plan.Steps.OfType<RecreateServicesStep>(), s => Assert.True(s.NoCache));
        Assert.Equal(["services.stop", "services.stop", "database.restore"], plan.Steps.Take(3).Select(s => s.Operation));
        Assert.True(Assert.IsType<BackupStep>(plan.Steps[^2]).PostRollback);
        Assert.Equal(PlanStep.ControllerHost, Assert.IsType<MonitorStep>(plan.Steps[^1]).Host);
    }

    [Theory]
    [InlineData("2026-11-21T10:00:00Z", "is in the future")]
    [InlineData("2026-11-20T11:00:00Z", "no backup on prod-1 is older than 2026-11-20 11:00:00Z: the oldest, 20261120-120000-full")]
    public async Task A_time_in_the_future_or_before_every_backup_is_bad_input(string before, string expected)
    {
        var fleet = Fleet("0001_initial", "0001_initial");
        fleet.Backups["prod-1"] = [Backup("20261120-120000-full", "2026-11-20T12:00:00Z")];

        var error = await Assert.ThrowsAsync<FleetException>(() => new Planner(fleet).PlanRollbackAsync(
            Production, new RollbackRequest(null, [], Before: DateTimeOffset.Parse(before, System.Globalization.CultureInfo.InvariantCulture)), Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenario_2_completes_else_downgrades_else_restores_and_starts_the_app_only_after_a_completion()
    {
        var fleet = Fleet("0002_teams", "0002_teams");
        fleet.Migrations["prod-1"].State = MigrationState.Behind;
        fleet.Backups["prod-1"] = [Backup("20261120-140000-full", "2026-11-20T14:00:00Z")];

        var plan = await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken);

        var upgrade = plan.Steps.OfType<UpgradeStep>().Single();
        var downgrade = plan.Steps.OfType<DowngradeStep>().Single();
        var restore = plan.Steps.OfType<RestoreStep>().Single();
        Assert.Equal(upgrade.Index + 1, downgrade.Index);
        Assert.Equal(downgrade.Index + 1, restore.Index);
        Assert.False(upgrade.IsFallback);
        Assert.True(downgrade.IsFallback);
        Assert.True(restore.IsFallback);
        Assert.Equal("20261120-140000-full", restore.BackupId);
        Assert.All(plan.Steps.Where(s => s.Operation == OperationKinds.ServicesStart), s => Assert.Equal(upgrade.Index, s.RunsIfSucceeded));
        Assert.True(plan.Steps.First(s => s.Operation == OperationKinds.ServicesStop).Index < upgrade.Index);

        fleet.Migrations["prod-1"].State = MigrationState.UpToDate;
        Assert.True((await new Planner(fleet).PlanRepairMigrationAsync(Production, Now, TestContext.Current.CancellationToken)).NothingToDo);
    }
}
