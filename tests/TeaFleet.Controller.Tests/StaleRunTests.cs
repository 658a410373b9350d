using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// What <c>resume</c> checks before it takes a run up again (<see cref="StaleRun"/>): a release of another run in a
/// host's ledger since the run started makes its journaled rest stale. The ledgers are a fake reader's; the
/// fleet test (KioskMigrationTests) resumes a failed run for real after a later drill.
/// </summary>
public sealed class StaleRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public StaleRunTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static readonly Plan Production = JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2");

    private string NewRun(Plan plan) => JournalTestData.NewRun(_inventory, _time, plan);

    [Fact]
    public async Task A_run_that_another_run_came_in_after_is_refused_as_stale_with_the_plan_to_make_again()
    {
        var runId = NewRun(Production);
        var run = new RunStore(_inventory.RunsDir).Get(runId);
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        var environment = _inventory.FindEnvironment("production")!;
        Google.Protobuf.WellKnownTypes.Timestamp At(int minutes) => Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_time.GetUtcNow().AddMinutes(minutes));

        // Its own switch, and what ran before it: not stale, also when prod-1's clock runs ahead (its deploy before
        // the run reads as started after it; the ledger's order, before the run's own release, is what counts).
        fleet.Ledgers["prod-1"].Insert(0, new Agent.V1.Release { Id = 3, Commit = Samples.C2, Kind = "rollback", RunId = runId, StartedAt = At(3), Result = Agent.V1.ReleaseResult.Failed });
        fleet.Ledgers["prod-1"][1].StartedAt = At(2);
        fleet.Ledgers["prod-2"][0].StartedAt = At(-60);
        await StaleRun.CheckAsync(fleet, environment, run, TestContext.Current.CancellationToken);

        // A release of another run after the run's own on prod-1 is stale whatever its clock says.
        fleet.Ledgers["prod-1"].Insert(0, new Agent.V1.Release { Id = 4, Commit = Samples.C1, Kind = "rollback", RunId = "production-later", StartedAt = At(-1), Result = Agent.V1.ReleaseResult.Succeeded });
        var ordered = await Assert.ThrowsAsync<FleetException>(() => StaleRun.CheckAsync(fleet, environment, run, TestContext.Current.CancellationToken));
        Assert.Contains("prod-1 (rollback of 111111111111 by run production-later", ordered.Message, StringComparison.Ordinal);
        fleet.Ledgers["prod-1"].RemoveAt(0);

        // prod-2 has no release of the run: a deploy of another run there after the run's journal ends is stale.
        fleet.Ledgers["prod-2"].Insert(0, new Agent.V1.Release { Id = 4, Commit = Samples.C1, Kind = "deploy", RunId = "production-other", StartedAt = At(5), Result = Agent.V1.ReleaseResult.Succeeded });
        var error = await Assert.ThrowsAsync<FleetException>(() => StaleRun.CheckAsync(fleet, environment, run, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains($"run {runId} is stale: since it started, prod-2 (deploy of 111111111111 by run production-other at 2026-12-01 12:05:00Z, succeeded)", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Plan again against what runs now: teafleet plan rollback production --to {GitRefs.Short(Samples.C2)}", error.Hint, StringComparison.Ordinal);
    }
}
