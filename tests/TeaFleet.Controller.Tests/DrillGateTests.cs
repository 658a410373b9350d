using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

public sealed class DrillGateTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FleetInventory _inventory;

    public DrillGateTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private DrillDecision Check(IReadOnlyList<string> productionServices, bool skip = false, string? reason = null, TimeProvider? time = null) =>
        new DrillGate(time ?? _time).Check(
            _inventory,
            JournalTestData.RollbackPlan("production", Samples.C2, productionServices, "prod-1", "prod-2"),
            new RunStore(_inventory.RunsDir).List(),
            skip,
            reason);

    [Fact]
    public void A_staging_drill_of_the_same_plan_within_the_window_opens_the_gate()
    {
        var runId = JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, ["worker", "backend"], "staging-1"),
            StepResult.Succeeded, _time.GetUtcNow().AddHours(-3), _time.GetUtcNow().AddHours(-3).AddMinutes(1));

        var decision = Check(["backend", "worker"]);

        Assert.True(decision.Allowed, decision.Message);
        Assert.Equal(runId, decision.DrillRunId);
    }

    [Fact]
    public void A_staging_drill_older_than_the_window_is_refused_with_the_command_to_run()
    {
        var runId = JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"),
            StepResult.Succeeded, _time.GetUtcNow().AddHours(-30), _time.GetUtcNow().AddHours(-30));

        var decision = Check([]);

        Assert.False(decision.Allowed);
        Assert.Contains(runId, decision.Message, StringComparison.Ordinal);
        Assert.Equal($"teafleet -i {_inventory.Path} rollback staging --to {Samples.C2}", decision.Command);

        Assert.True(Check([], time: new FakeTimeProvider(_time.GetUtcNow().AddHours(-7))).Allowed);
    }

    [Fact]
    public void A_staging_drill_of_other_services_or_a_failed_one_does_not_count()
    {
        JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, ["frontend"], "staging-1"),
            StepResult.Succeeded, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(-1));
        JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, ["backend"], "staging-1"),
            StepResult.Failed, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(-1));

        var decision = Check(["backend"]);

        Assert.False(decision.Allowed);
        Assert.Equal($"teafleet -i {_inventory.Path} rollback staging --to {Samples.C2} --services backend", decision.Command);
    }

    [Fact]
    public void Skipping_the_drill_needs_a_reason_and_records_it()
    {
        var error = Assert.Throws<FleetException>(() => Check([], skip: true));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);

        var decision = Check([], skip: true, reason: "INC-42 staging is down");
        Assert.True(decision.Allowed);
        Assert.Equal("INC-42 staging is down", decision.SkipReason);
    }

    [Fact]
    public void The_gate_reads_only_the_drill_environments_journals()
    {
        var staging = JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"),
            StepResult.Succeeded, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(-1));
        JournalTestData.WriteRun(_inventory.RunsDir, JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2"),
            StepResult.Succeeded, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(-1));
        // A journal that is not a run at all, named as one of production's: never opened.
        File.WriteAllText(Path.Combine(_inventory.RunsDir, "20250101-000000-production-ffff.jsonl"), "not json");

        var production = JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2");
        var candidates = DrillGate.Candidates(_inventory, production).ToList();

        Assert.Equal([staging], candidates.Select(r => r.RunId));
        Assert.True(new DrillGate(_time).Check(_inventory, production, DrillGate.Candidates(_inventory, production), false, null).Allowed);
        Assert.Empty(DrillGate.Candidates(_inventory, JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1")));
    }
}
