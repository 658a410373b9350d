using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Issue 11 item 5: when a host's checkout and its running containers disagree (the agent was killed mid-switch:
/// its checkout says C3 while C2 runs), the plan says so, and "nothing to do" is not claimed for it.
/// </summary>
public sealed class CheckoutDisagreementTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public CheckoutDisagreementTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Staging => _inventory.FindEnvironment("staging")!;

    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["staging-1"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["v2"] = Samples.C2;
        return fleet;
    }

    [Fact]
    public async Task A_host_whose_checkout_is_ahead_of_its_services_is_warned_about_and_not_nothing_to_do()
    {
        var fleet = Fleet();
        fleet.Checkouts["staging-1"] = Samples.C3;

        var plan = await new Planner(fleet).PlanRollbackAsync(Staging, new RollbackRequest("v2", []), Now, TestContext.Current.CancellationToken);

        Assert.False(plan.NothingToDo);
        var warning = Assert.Single(plan.Warnings!);
        Assert.StartsWith("staging-1: its checkout is at 333333333333 but its services run 222222222222", warning, StringComparison.Ordinal);
        Assert.Contains(plan.Steps, s => s is RecreateServicesStep { Commit: Samples.C2 });
    }

    [Fact]
    public async Task A_checkout_that_agrees_changes_nothing()
    {
        var fleet = Fleet();
        fleet.Checkouts["staging-1"] = Samples.C2;

        var plan = await new Planner(fleet).PlanRollbackAsync(Staging, new RollbackRequest("v2", []), Now, TestContext.Current.CancellationToken);

        Assert.True(plan.NothingToDo);
        Assert.Null(plan.Warnings);
    }

    [Fact]
    public void The_words_name_both_commits_and_only_when_they_differ()
    {
        Assert.Null(CheckoutText.Disagrees(Samples.C2, [Samples.C2]));
        Assert.Null(CheckoutText.Disagrees("", [Samples.C2]));
        Assert.Null(CheckoutText.Disagrees(Samples.C2, []));
        // Mixed by a switch of named services, with the checkout at one of them: "mixed" says it, not this.
        Assert.Null(CheckoutText.Disagrees(Samples.C2, [Samples.C2, Samples.C1]));
        Assert.Contains("but its services run mixed (222222222222, 111111111111)", CheckoutText.Disagrees(Samples.C3, [Samples.C2, Samples.C1]), StringComparison.Ordinal);
    }
}
