using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

public sealed class RestorePlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public RestorePlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static FakeFleetReader WithBackups(string host, params Backup[] backups)
    {
        var fleet = new FakeFleetReader();
        fleet.Backups[host] = [.. backups];
        return fleet;
    }

    private static Backup Backup(string id, string at, VerifyState state = VerifyState.Verified) => new()
    {
        Id = id,
        TakenAt = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)),
        Kind = BackupKind.Quick,
        VerifyState = state,
        VerifyMessage = state == VerifyState.Failed ? "its sha256 is 0123…, the catalogue recorded 4567…" : "",
        ReleaseCommit = Samples.C2,
        MigrationHead = "0001_initial",
    };

    [Fact]
    public async Task The_plan_restores_on_the_database_host_as_a_destructive_step_and_states_the_data_loss_window()
    {
        var production = _inventory.FindEnvironment("production")!;
        var fleet = WithBackups(production.DatabaseHost.Name, Backup("20261120-140000-quick", "2026-11-20T14:00:00Z"));

        var plan = await new Planner(fleet).PlanRestoreAsync(production, "20261120-140000-quick", Now, TestContext.Current.CancellationToken);

        // Every host's services stopped first, then the restore, then started again; the way back
        // starts each stopped host again if anything after its stop fails.
        var hosts = production.Hosts.Select(h => h.Name).ToList();
        Assert.Equal(hosts, plan.Steps.TakeWhile(s => s is StopServicesStep).Select(s => s.Host));
        var restore = plan.Steps[hosts.Count];
        Assert.Equal(OperationKinds.DatabaseRestore, restore.Operation);
        Assert.Equal(hosts, plan.Steps.Skip(hosts.Count + 1).TakeWhile(s => s is StartServicesStep).Select(s => s.Host));
        var wayBack = plan.Steps.Where(s => s.Undoes is not null).ToList();
        Assert.Equal(Enumerable.Range(1, hosts.Count), wayBack.Select(s => s.Undoes!.Value));
        Assert.All(wayBack, s => Assert.IsType<StartServicesStep>(s));
        Assert.Equal(plan.Steps.Count - wayBack.Count + 1, wayBack[0].Index);
        Assert.Equal(production.DatabaseHost.Name, restore.Host);
        Assert.True(restore.Destructive);
        Assert.Equal("20261120-140000-quick", Assert.IsType<RestoreStep>(restore).BackupId);
        Assert.Contains("safety backup", restore.Verification, StringComparison.Ordinal);
        Assert.Contains("everything written after 2026-11-20 14:00:00Z (2 h 30 min) is lost", plan.Note, StringComparison.Ordinal);
        Assert.True(plan.NeedsDrill);
    }

    [Theory]
    [InlineData("/var/backups/tea/2024-01/tea_backup_20240114_020000.sql.gz", "looks like a path")]
    [InlineData("20261120-140000-quick.dump", "looks like a path")]
    [InlineData("20991231-000000-quick", "no backup '20991231-000000-quick'")]
    [InlineData("20261120-120000-quick", "failed verification")]
    public async Task A_path_an_unknown_id_or_a_backup_that_failed_verification_is_bad_input(string id, string expected)
    {
        var production = _inventory.FindEnvironment("production")!;
        var fleet = WithBackups(production.DatabaseHost.Name,
            Backup("20261120-140000-quick", "2026-11-20T14:00:00Z"),
            Backup("20261120-120000-quick", "2026-11-20T12:00:00Z", VerifyState.Failed));

        var error = await Assert.ThrowsAsync<FleetException>(() => new Planner(fleet).PlanRestoreAsync(production, id, Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("teafleet backups production", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_production_restore_needs_a_restore_drilled_on_staging()
    {
        var production = _inventory.FindEnvironment("production")!;
        var plan = Planner.PlanBackup(production, BackupKind.Quick) with { Kind = PlanKind.Restore };

        var decision = new DrillGate(TimeProvider.System).Check(_inventory, plan, [], skipDrill: false, reason: null);

        Assert.False(decision.Allowed);
        Assert.Contains("restore of a database backup", decision.Message, StringComparison.Ordinal);
        Assert.Contains("backups staging", decision.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_whose_head_is_not_the_live_codes_is_refused_with_the_type_3_that_brings_its_code_along()
    {
        var production = _inventory.FindEnvironment("production")!;
        var fleet = WithBackups(production.DatabaseHost.Name, Backup("20261120-140000-quick", "2026-11-20T14:00:00Z"));
        fleet.Migrations[production.DatabaseHost.Name] = new MigrationStatus
        {
            Host = production.DatabaseHost.Name,
            CodeCommit = Samples.C3,
            State = MigrationState.UpToDate,
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
        };

        var error = await Assert.ThrowsAsync<FleetException>(() => new Planner(fleet).PlanRestoreAsync(production, "20261120-140000-quick", Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains($"backup 20261120-140000-quick holds Alembic head 0001_initial, but the live code {GitRefs.Short(Samples.C3)} on prod-1 has head 0002_teams", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Restore it together with the code of its release (a Type 3): teafleet rollback production --type 3 --backup 20261120-140000-quick --to {GitRefs.Short(Samples.C2)}.", error.Hint, StringComparison.Ordinal);

        // At the live code's head it is planned; so it is when the agent cannot read the database (what a restore is for).
        fleet.Migrations[production.DatabaseHost.Name].CodeHeads[0] = "0001_initial";
        var plan = await new Planner(fleet).PlanRestoreAsync(production, "20261120-140000-quick", Now, TestContext.Current.CancellationToken);
        Assert.Contains(plan.Steps, s => s is RestoreStep);
        fleet.Migrations[production.DatabaseHost.Name].CodeHeads[0] = "0002_teams";
        fleet.MigrationsFail.Add(production.DatabaseHost.Name);
        var unread = await new Planner(fleet).PlanRestoreAsync(production, "20261120-140000-quick", Now, TestContext.Current.CancellationToken);
        Assert.Contains(unread.Steps, s => s is RestoreStep);
    }
}
