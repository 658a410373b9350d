using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

public sealed class PlannerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public PlannerTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_default_target_skips_a_release_that_was_rolled_back_from()
    {
        var fleet = new FakeFleetReader().WithHistory(["staging-1"],
            (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2), (Samples.C2, "rollback", Samples.C3));

        var plan = await new Planner(fleet).PlanRollbackAsync(_inventory.FindEnvironment("staging")!, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);

        Assert.Equal(Samples.C1, plan.TargetCommit);
    }

    [Fact]
    public async Task Hosts_that_disagree_on_the_previous_release_are_listed_and_told_to_use_to()
    {
        var fleet = new FakeFleetReader()
            // Both hosts ran 1, 2 and 3 (a release counts only if it succeeded on every host), in another order.
            .WithHistory(["prod-1"], (Samples.C2, "deploy", ""), (Samples.C1, "deploy", Samples.C2), (Samples.C3, "deploy", Samples.C1))
            .WithHistory(["prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2));

        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanRollbackAsync(_inventory.FindEnvironment("production")!, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("prod-1: current 333333333333, previous 111111111111", error.Message, StringComparison.Ordinal);
        Assert.Contains("prod-2: current 333333333333, previous 222222222222", error.Message, StringComparison.Ordinal);
        Assert.Contains("--to", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deploy_of_a_ref_missing_on_a_host_is_refused()
    {
        var fleet = new FakeFleetReader();

        var error = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(fleet).PlanDeployAsync(_inventory.FindEnvironment("production")!, "v4", [], TestContext.Current.CancellationToken));

        Assert.Contains("'v4' does not exist on prod-1, prod-2", error.Message, StringComparison.Ordinal);
    }
}
