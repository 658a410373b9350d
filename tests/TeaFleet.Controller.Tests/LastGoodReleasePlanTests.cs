using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Issue 11 items 1-3: what runs now comes from the services (a mixed host is one whose services run several
/// commits), the default target is the last good release (succeeded on every host, not ahead of the database),
/// and "nothing to do" only when every service of every host runs the target.
/// </summary>
public sealed class LastGoodReleasePlanTests : IDisposable
{
    private const string C4 = "4444444444444444444444444444444444444444";
    private static readonly string S2 = PlanText.Short(Samples.C2);
    private static readonly string S3 = PlanText.Short(Samples.C3);
    private static readonly string S4 = PlanText.Short(C4);
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string[] Hosts = ["prod-1", "prod-2"];
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public LastGoodReleasePlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    /// <summary>1.0.0 (C1), 1.1.0 (C2), 1.2.0 (C3) succeeded, then the deploy of 1.3.0 (C4) failed after switching its services.</summary>
    private static FakeFleetReader AfterAFailedDeploy()
    {
        var fleet = new FakeFleetReader().WithHistory(Hosts, (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2));
        foreach (var host in Hosts)
        {
            fleet.Ledgers[host].Insert(0, new Release { Id = 4, Commit = C4, Kind = "deploy", PreviousCommit = Samples.C3, Result = ReleaseResult.Failed });
            fleet.WithRunning(host, ("backend", C4, "restarting"), ("worker", C4, "running"), ("frontend", C4, "running"));
        }

        return fleet;
    }

    private static MigrationStatus Ahead(string target, int steps) => new()
    {
        Host = "prod-1",
        DatabaseHeads = { "0002_teams" },
        TargetCommit = target,
        TargetHeads = { "0003_scores" },
        UpgradeSteps = steps,
        DowngradeSteps = -1,
    };

    private Task<Plan> PlanAsync(FakeFleetReader fleet, string? to = null, params string[] services) =>
        new Planner(fleet).PlanRollbackAsync(Production, new RollbackRequest(to, services), Now, TestContext.Current.CancellationToken);

    [Fact]
    public async Task After_a_failed_deploy_the_default_target_is_the_last_good_release_not_the_one_before_it()
    {
        var plan = await PlanAsync(AfterAFailedDeploy());

        Assert.Equal(Samples.C3, plan.TargetCommit);
        Assert.False(plan.NothingToDo);
        Assert.Contains($"default target {S3}: the last good release before {S4}", plan.TypeReason, StringComparison.Ordinal);
        Assert.Equal(C4, plan.CurrentCommits["prod-1"]);
    }

    [Fact]
    public async Task A_release_counts_only_if_it_succeeded_on_every_host()
    {
        var fleet = AfterAFailedDeploy();
        var prod2 = fleet.Ledgers["prod-2"];
        prod2[prod2.FindIndex(r => r.Commit == Samples.C3)] = new Release { Id = 3, Commit = Samples.C3, Kind = "deploy", Result = ReleaseResult.Failed };

        var plan = await PlanAsync(fleet);

        Assert.Equal(Samples.C2, plan.TargetCommit);
        Assert.Contains($"skipped {S3} (release 3): did not succeed on prod-2", plan.TypeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_release_that_succeeded_on_every_host_is_bad_input_that_says_what_was_skipped()
    {
        var fleet = new FakeFleetReader()
            .WithHistory(["prod-1"], (Samples.C1, "deploy", ""), (Samples.C3, "deploy", Samples.C1))
            .WithHistory(["prod-2"], (Samples.C2, "deploy", ""), (Samples.C3, "deploy", Samples.C2));

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("no earlier good release to roll back to on prod-1, prod-2", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{PlanText.Short(Samples.C1)} (release 1): did not succeed on prod-2", error.Message, StringComparison.Ordinal);
        Assert.Contains("--to", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_ahead_of_the_database_is_skipped_and_the_reason_says_so()
    {
        var fleet = AfterAFailedDeploy();
        // The failed 1.3.0 never migrated; 1.2.0's migration was reverted by hand, so 1.2.0 is ahead of the database.
        fleet.MigrationsByTarget[Samples.C3] = Ahead(Samples.C3, 1);
        fleet.MigrationsByTarget[Samples.C2] = new MigrationStatus { Host = "prod-1", DatabaseHeads = { "0002_teams" }, TargetCommit = Samples.C2, TargetHeads = { "0002_teams" } };

        var plan = await PlanAsync(fleet);

        Assert.Equal(Samples.C2, plan.TargetCommit);
        Assert.Equal(RollbackType.CodeOnly, plan.Type);
        Assert.Contains($"skipped {S3} (release 3): ahead of the database (the database is at 0002_teams, its head 0003_scores is 1 migration(s) further)", plan.TypeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_target_ahead_of_the_database_is_a_deploy_not_a_rollback()
    {
        var fleet = AfterAFailedDeploy();
        fleet.Refs["1.3.0"] = C4;
        fleet.MigrationsByTarget[C4] = Ahead(C4, 2);

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet, "1.3.0"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("1.3.0 is ahead of the database (the database is at 0002_teams, its head 0003_scores is 2 migration(s) further): that is a deploy, not a rollback", error.Message, StringComparison.Ordinal);
        Assert.Equal("teafleet deploy production 1.3.0", error.Hint);
    }

    [Fact]
    public async Task A_failed_deploy_can_be_rolled_back_to_what_the_ledger_called_current()
    {
        // The ledger's newest succeeded release is 1.2.0; the services run 1.3.0's code.
        var fleet = AfterAFailedDeploy();
        fleet.Refs["1.2.0"] = Samples.C3;

        var plan = await PlanAsync(fleet, "1.2.0");

        Assert.False(plan.NothingToDo);
        Assert.Equal(Samples.C3, plan.TargetCommit);
    }

    [Fact]
    public async Task A_failed_rollback_can_be_rolled_back_and_its_target_stays_the_default()
    {
        var fleet = new FakeFleetReader().WithHistory(Hosts, (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2));
        foreach (var host in Hosts)
        {
            fleet.Ledgers[host].Insert(0, new Release { Id = 4, Commit = Samples.C2, Kind = "rollback", PreviousCommit = Samples.C3, Result = ReleaseResult.Failed });
        }

        // prod-1 was switched half-way: its backend runs 1.1.0, the rest still 1.2.0; prod-2 was not reached.
        fleet.WithRunning("prod-1", ("backend", Samples.C2, "running"), ("worker", Samples.C3, "running"), ("frontend", Samples.C3, "running"));

        var plan = await PlanAsync(fleet);

        Assert.Equal(Samples.C2, plan.TargetCommit);
        Assert.False(plan.NothingToDo);
        Assert.Contains($"prod-1 runs mixed ({S2}, {S3})", plan.TypeReason, StringComparison.Ordinal);
        var facts = new FleetFacts(fleet, Production);
        var running = await facts.RunningCommitsAsync(TestContext.Current.CancellationToken);
        Assert.Equal([Samples.C2, Samples.C3], running["prod-1"]);
        Assert.Equal([Samples.C3], running["prod-2"]);
        Assert.Equal($"mixed ({S2}, {S3})", RunningCommits.Text(running["prod-1"]));
    }

    [Fact]
    public async Task Rolling_back_one_service_then_the_rest_plans_the_rest()
    {
        var fleet = new FakeFleetReader().WithHistory(Hosts, (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs[Samples.C1] = Samples.C1;
        foreach (var host in Hosts)
        {
            // rollback --services frontend --to C1 succeeded: the ledger's newest succeeded release is C1.
            fleet.Ledgers[host].Insert(0, new Release { Id = 3, Commit = Samples.C1, Kind = "rollback", PreviousCommit = Samples.C2, Services = { "frontend" }, Result = ReleaseResult.Succeeded });
            fleet.WithRunning(host, ("backend", Samples.C2, "running"), ("worker", Samples.C2, "running"), ("frontend", Samples.C1, "running"));
        }

        var frontendAgain = await PlanAsync(fleet, Samples.C1, "frontend");
        var rest = await PlanAsync(fleet, Samples.C1);

        Assert.True(frontendAgain.NothingToDo);
        Assert.Contains($"every named service of every host of 'production' already runs {PlanText.Short(Samples.C1)}", frontendAgain.Note, StringComparison.Ordinal);
        Assert.False(rest.NothingToDo);
        Assert.Empty(rest.Services);
    }

    [Fact]
    public async Task Nothing_to_do_needs_every_service_the_target_defines_running_it_on_every_host()
    {
        var fleet = new FakeFleetReader().WithHistory(Hosts, (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["1.1.0"] = Samples.C2;
        var set = new GetServiceSetResponse { Commit = Samples.C2, SwitchServices = { "migrate", "api", "worker" } };
        set.Services.Add(new ReleaseService { Name = "migrate", Image = "kiosk-api:" + Samples.C2, OneShot = true, ReleaseTagged = true });
        set.Services.Add(new ReleaseService { Name = "api", Image = "kiosk-api:" + Samples.C2, ReleaseTagged = true });
        set.Services.Add(new ReleaseService { Name = "worker", Image = "kiosk-api:" + Samples.C2, ReleaseTagged = true });
        fleet.ServiceSets[Samples.C2] = set;
        fleet.ServiceSets[Samples.C1] = set;
        fleet.WithRunning("prod-1", ("migrate", Samples.C2, "exited"), ("api", Samples.C2, "running"), ("worker", Samples.C2, "running"));
        fleet.WithRunning("prod-2", ("migrate", Samples.C2, "exited"), ("api", Samples.C2, "running"), ("worker", Samples.C2, "running"));

        Assert.True((await PlanAsync(fleet, "1.1.0")).NothingToDo);

        // The worker's container is gone on prod-2: the same target has something to do.
        fleet.WithRunning("prod-2", ("migrate", Samples.C2, "exited"), ("api", Samples.C2, "running"), ("worker", "", "missing"));
        Assert.False((await PlanAsync(fleet, "1.1.0")).NothingToDo);

        // A container that exited with the target's code is not running it (a one-shot's may have exited).
        fleet.WithRunning("prod-2", ("migrate", Samples.C2, "exited"), ("api", Samples.C2, "exited"), ("worker", Samples.C2, "running"));
        Assert.False((await PlanAsync(fleet, "1.1.0")).NothingToDo);
    }
}
