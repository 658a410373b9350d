using TeaFleet.Controller.Commands;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Issue 11 item 17: the closed gate's advice is never a no-op. After a failed drill (or a recovery) staging may
/// already run the target; the drill the gate names would then say "nothing to do", so the advice starts with
/// the deploy that brings staging to what production runs.
/// </summary>
public sealed class DrillPreparationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public DrillPreparationTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    /// <summary>Production ran C1, C2, then C3; staging ran the same, then its drill (or a recovery) took it to <paramref name="stagingAt"/>.</summary>
    private static FakeFleetReader Fleet(string stagingAt)
    {
        var fleet = new FakeFleetReader()
            .WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2))
            .WithHistory(["staging-1"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2), (stagingAt, "rollback", Samples.C3));
        fleet.Refs[Samples.C2] = Samples.C2;
        return fleet;
    }

    private async Task<DrillDecision> AdviseAsync(FakeFleetReader fleet)
    {
        var planner = new Planner(fleet);
        var plan = await planner.PlanRollbackAsync(Production, new RollbackRequest(Samples.C2, []), Now, TestContext.Current.CancellationToken);
        var closed = new DrillGate(TimeProvider.System).Check(_inventory, plan, [], false, null);
        Assert.False(closed.Allowed);
        return await DrillPreparation.AdviseAsync(closed, planner, _inventory, Production, plan, Now, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Staging_already_at_the_target_gets_the_deploy_to_productions_release_first()
    {
        var decision = await AdviseAsync(Fleet(stagingAt: Samples.C2));

        Assert.Equal($"teafleet -i {_inventory.Path} deploy staging {Samples.C3}", decision.Prepare);
        Assert.Contains("'staging' already runs 222222222222, so the drill would have nothing to do", decision.Message, StringComparison.Ordinal);
        Assert.StartsWith($"first 'teafleet -i {_inventory.Path} deploy staging {Samples.C3}', then 'teafleet -i {_inventory.Path} rollback staging --to {Samples.C2}'", decision.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staging_where_production_is_keeps_the_gates_own_drill()
    {
        var decision = await AdviseAsync(Fleet(stagingAt: Samples.C3));

        Assert.Null(decision.Prepare);
        Assert.Equal($"teafleet -i {_inventory.Path} rollback staging --to {Samples.C2}", decision.Advice);
    }
}
