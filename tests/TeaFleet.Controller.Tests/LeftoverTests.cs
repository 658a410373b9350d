using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>What a downgrade left behind: `migrations` shows it, `repair leftovers` plans its repair, a deploy that migrates warns (the agent's side runs for real in the fleet tests).</summary>
public sealed class LeftoverTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public LeftoverTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static SchemaDifference Difference(SchemaDifferenceKind kind, string type, string name, string detail, bool droppable, params string[] collides)
    {
        var d = new SchemaDifference { Kind = kind, ObjectType = type, Schema = "public", Name = name, Detail = detail, Droppable = droppable };
        d.CollidesWith.Add(collides);
        return d;
    }

    /// <summary>Kiosk after 0002's downgrade: its enum type left behind; plus a missing index for a person.</summary>
    private static LeftoversResponse Kiosk(bool withMissing = true, params string[] collides)
    {
        var leftovers = new LeftoversResponse
        {
            Host = "prod-1",
            Compared = true,
            Reason = "the newest verified backup at a3c1e5f70b21 taken before the downgrade run.4.prod-1 (2026-12-01 10:30:00Z)",
            ReferenceBackupId = "20261201-100000-full",
            ReferenceTakenAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)),
            DowngradeOperationId = "run.4.prod-1",
        };
        leftovers.DatabaseHeads.Add("a3c1e5f70b21");
        leftovers.Differences.Add(Difference(SchemaDifferenceKind.Extra, "TYPE", "order_status", "only in the live schema", true, collides));
        if (withMissing)
        {
            leftovers.Differences.Add(Difference(SchemaDifferenceKind.Missing, "INDEX", "ix_orders_customer", "only in the reference schema", false));
        }

        return leftovers;
    }

    private static FakeFleetReader Fleet(LeftoversResponse? leftovers, int upgradeSteps = -1)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""));
        var status = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C1, State = MigrationState.UpToDate, UpgradeSteps = upgradeSteps, Service = "backend", TargetCommit = Samples.C2 };
        status.DatabaseHeads.Add("a3c1e5f70b21");
        status.CodeHeads.Add("a3c1e5f70b21");
        status.TargetHeads.Add("5e9d2b7c4a10");
        fleet.Migrations["prod-1"] = status;
        fleet.Refs["1.1.0"] = Samples.C2;
        if (leftovers is not null)
        {
            fleet.Leftovers["prod-1"] = leftovers;
        }

        return fleet;
    }

    [Fact]
    public void Migrations_shows_each_difference_what_it_collides_with_and_the_repair_text_and_json()
    {
        var status = Fleet(null).Migrations["prod-1"];
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        MigrationsPrinter.Print(text.Output, "production", status, Kiosk(true, "5e9d2b7c4a10"));
        MigrationsPrinter.Print(json.Output, "production", status, Kiosk(true, "5e9d2b7c4a10"));

        Assert.Equal(
            [
                "  leftovers: 2 difference(s) from backup 20261201-100000-full (the newest verified backup at a3c1e5f70b21 taken before the downgrade run.4.prod-1 (2026-12-01 10:30:00Z)):",
                "    extra TYPE public.order_status: only in the live schema (will collide with 5e9d2b7c4a10)",
                "    missing INDEX public.ix_orders_customer: only in the reference schema (for a person)",
                "  1 can be dropped: see 'teafleet repair leftovers production --plan'",
            ],
            text.Lines.Skip(4));
        var leftovers = Assert.Single(json.JsonLines).GetProperty("leftovers");
        Assert.True(leftovers.GetProperty("compared").GetBoolean());
        Assert.Equal("20261201-100000-full", leftovers.GetProperty("reference_backup_id").GetString());
        Assert.Equal("run.4.prod-1", leftovers.GetProperty("downgrade_operation_id").GetString());
        var first = leftovers.GetProperty("differences")[0];
        Assert.Equal("extra", first.GetProperty("kind").GetString());
        Assert.Equal("TYPE", first.GetProperty("object_type").GetString());
        Assert.Equal("public", first.GetProperty("schema").GetString());
        Assert.Equal("order_status", first.GetProperty("name").GetString());
        Assert.True(first.GetProperty("droppable").GetBoolean());
        Assert.Equal(["5e9d2b7c4a10"], first.GetProperty("collides_with").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("missing", leftovers.GetProperty("differences")[1].GetProperty("kind").GetString());
    }

    [Fact]
    public void Migrations_says_when_it_could_not_compare_and_when_nothing_was_left()
    {
        var status = Fleet(null).Migrations["prod-1"];
        var text = new PrinterTestConsole(json: false);

        MigrationsPrinter.Print(text.Output, "production", status, new LeftoversResponse { Host = "prod-1", Reason = "no verified backup at a3c1e5f70b21: nothing to compare the live schema with" });
        var clean = Kiosk(false);
        clean.Differences.Clear();
        MigrationsPrinter.Print(text.Output, "production", status, clean);
        MigrationsPrinter.Print(text.Output, "production", status);

        Assert.Contains("  leftovers: not compared: no verified backup at a3c1e5f70b21: nothing to compare the live schema with", text.Lines);
        Assert.Contains(text.Lines, l => l.StartsWith("  leftovers: none: the schema is as backup 20261201-100000-full", StringComparison.Ordinal));
        Assert.Equal(2, text.Lines.Count(l => l.Contains("leftovers", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Repair_leftovers_backs_up_drops_and_checks_and_lists_the_rest_for_a_person()
    {
        var plan = await new Planner(Fleet(Kiosk())).PlanRepairLeftoversAsync(Production, TestContext.Current.CancellationToken);

        Assert.Equal(PlanKind.RepairLeftovers, plan.Kind);
        Assert.IsType<LeftoverRepairProcedure>(plan.Procedure);
        Assert.False(plan.NeedsDrill);
        Assert.Equal(
            ["1 prod-1 database.backup", "2 prod-1 migrations.repair-leftovers", "3 prod-1 migrations.check"],
            plan.Steps.Select(s => $"{s.Index} {s.Host} {s.Operation}"));
        Assert.Equal(BackupKind.Quick, Assert.IsType<BackupStep>(plan.Steps[0]).Kind);
        var repair = Assert.IsType<RepairLeftoversStep>(plan.Steps[1]);
        Assert.Equal(1, repair.BackupStep);
        Assert.True(repair.Destructive);
        Assert.Contains("TYPE public.order_status", repair.Verification, StringComparison.Ordinal);
        Assert.Contains("never CASCADE", repair.Verification, StringComparison.Ordinal);
        Assert.Equal("a3c1e5f70b21", Assert.IsType<CheckMigrationsStep>(plan.Steps[2]).ExpectHead);
        Assert.Contains("For a person (never touched by TeaFleet): missing INDEX public.ix_orders_customer", plan.Note, StringComparison.Ordinal);
        Assert.Contains("backup 20261201-100000-full", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_leftovers_with_nothing_to_drop_is_nothing_to_repair_and_without_a_reference_is_refused()
    {
        var onlyMissing = Kiosk();
        onlyMissing.Differences.RemoveAt(0);
        var nothing = await new Planner(Fleet(onlyMissing)).PlanRepairLeftoversAsync(Production, TestContext.Current.CancellationToken);
        Assert.True(nothing.NothingToDo);
        Assert.StartsWith("nothing to repair: no leftover TeaFleet can drop on prod-1. For a person", nothing.Note, StringComparison.Ordinal);

        var unknown = new LeftoversResponse { Host = "prod-1", Reason = "no verified backup at a3c1e5f70b21 taken before the downgrade d" };
        var error = await Assert.ThrowsAsync<FleetException>(() => new Planner(Fleet(unknown)).PlanRepairLeftoversAsync(Production, TestContext.Current.CancellationToken));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("no verified backup at a3c1e5f70b21", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);

        var old = await Assert.ThrowsAsync<FleetException>(() => new Planner(Fleet(null)).PlanRepairLeftoversAsync(Production, TestContext.Current.CancellationToken));
        Assert.Contains("predates Migrations.Leftovers", old.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deploy_that_migrates_warns_of_leftovers_and_says_which_will_collide()
    {
        var fleet = Fleet(Kiosk(false, "5e9d2b7c4a10"), upgradeSteps: 1);

        var plan = await new Planner(fleet).PlanDeployAsync(Production, "1.1.0", [], TestContext.Current.CancellationToken);

        var warning = Assert.Single(plan.Warnings!);
        Assert.Equal(
            "the database on prod-1 has 1 leftover(s) of a downgrade: TYPE public.order_status (will collide with 5e9d2b7c4a10); 1 of them will collide with the upgrade this plan applies (its migrations create it again and fail). Run 'teafleet repair leftovers production' first.",
            warning);
        Assert.Equal([Samples.C2], fleet.LeftoverTargets);
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);
        PlanPrinter.Print(text.Output, plan);
        PlanPrinter.Print(json.Output, plan);
        Assert.Contains(text.Lines, l => l.StartsWith("  warning: the database on prod-1 has 1 leftover(s)", StringComparison.Ordinal));
        Assert.Equal(warning, Assert.Single(json.JsonLines).GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task A_leftover_the_upgrade_does_not_name_is_a_plain_warning_and_a_deploy_that_does_not_migrate_does_not_ask()
    {
        var plain = await new Planner(Fleet(Kiosk(false), upgradeSteps: 1)).PlanDeployAsync(Production, "1.1.0", [], TestContext.Current.CancellationToken);
        Assert.Contains("the upgrade's scripts do not name them", Assert.Single(plain.Warnings!), StringComparison.Ordinal);
        Assert.DoesNotContain("will collide", plain.Warnings![0], StringComparison.Ordinal);

        var noMigration = Fleet(Kiosk(false, "5e9d2b7c4a10"), upgradeSteps: 0);
        var plan = await new Planner(noMigration).PlanDeployAsync(Production, "1.1.0", [], TestContext.Current.CancellationToken);
        Assert.Null(plan.Warnings);
        Assert.Empty(noMigration.LeftoverTargets);

        var frontendOnly = Fleet(Kiosk(false, "5e9d2b7c4a10"), upgradeSteps: 1);
        Assert.Null((await new Planner(frontendOnly).PlanDeployAsync(Production, "1.1.0", ["frontend"], TestContext.Current.CancellationToken)).Warnings);

        var unknown = Fleet(new LeftoversResponse { Host = "prod-1", Reason = "no verified backup" }, upgradeSteps: 1);
        Assert.Null((await new Planner(unknown).PlanDeployAsync(Production, "1.1.0", [], TestContext.Current.CancellationToken)).Warnings);
    }

    [Fact]
    public void The_repair_step_is_journaled_with_its_operation_name_and_read_back()
    {
        var plan = new Plan(PlanKind.RepairLeftovers, RollbackType.None, "production", Samples.C1, [], [], new Dictionary<string, string>(),
            [new RepairLeftoversStep(1) { Index = 2, Host = "prod-1", Verification = "v", OnFailure = "f", Destructive = true }]);

        var json = System.Text.Json.JsonSerializer.Serialize(plan, JournalJson.Options);
        Assert.Contains("\"operation\":\"migrations.repair-leftovers\"", json, StringComparison.Ordinal);
        var back = System.Text.Json.JsonSerializer.Deserialize<Plan>(json, JournalJson.Options)!;
        Assert.Equal(1, Assert.IsType<RepairLeftoversStep>(Assert.Single(back.Steps)).BackupStep);
        Assert.Equal(PlanKind.RepairLeftovers, back.Kind);
        Assert.Equal(OperationKinds.MigrationsRepairLeftovers, back.Steps[0].Operation);
    }

    [Fact]
    public async Task The_command_line_prints_the_repair_plan_says_nothing_to_repair_and_refuses_without_a_reference()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero));

        var (exit, output, _) = await CliRun.RunAsync(time, Fleet(Kiosk()), "repair", "leftovers", "production", "--plan", "--json", "-i", _inventory.Path);
        Assert.Equal(ExitCodes.Done, exit);
        var plan = System.Text.Json.JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()).RootElement;
        Assert.Equal("plan", plan.GetProperty("type").GetString());
        Assert.Equal("repair-leftovers", plan.GetProperty("kind").GetString());
        Assert.Equal(["database.backup", "migrations.repair-leftovers", "migrations.check"],
            plan.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("operation").GetString()));
        Assert.Equal("1", plan.GetProperty("steps")[1].GetProperty("arguments").GetProperty("backup_step").GetString());

        var onlyMissing = Kiosk();
        onlyMissing.Differences.RemoveAt(0);
        (exit, output, _) = await CliRun.RunAsync(time, Fleet(onlyMissing), "repair", "leftovers", "production", "-i", _inventory.Path);
        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains("nothing to repair", output, StringComparison.Ordinal);

        (exit, output, var error) = await CliRun.RunAsync(time, Fleet(new LeftoversResponse { Host = "prod-1", Reason = "no verified backup at a3c1e5f70b21" }), "repair", "leftovers", "production", "--plan", "-i", _inventory.Path);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no verified backup at a3c1e5f70b21", output + error, StringComparison.Ordinal);

        (exit, _, error) = await CliRun.RunAsync(time, Fleet(Kiosk()), "repair", "leftovers", "production", "--skip-drill", "-i", _inventory.Path);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("repair leftovers has no option '--skip-drill'", error, StringComparison.Ordinal);
    }
}
