using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A Type 3 to a release (--to) restores only a backup that release can run on: its Alembic head is a
/// revision the release's scripts know, and it was not taken under newer code (the agent's
/// target_revisions and target_history_commits). An explicit --backup or --before that does not suit it
/// is refused (exit 2) with the backups that would.
/// </summary>
public sealed class BackupFitPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public BackupFitPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static Backup Backup(string id, string at, string head, string release, VerifyState state = VerifyState.Verified) => new()
    {
        Id = id,
        TakenAt = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)),
        Kind = BackupKind.Full,
        VerifyState = state,
        ReleaseCommit = release,
        MigrationHead = head,
    };

    /// <summary>1.0.0 (C1, head 0001) is the target; 1.1.0 (C2, head 0002) is live. The agent says what 1.0.0 knows.</summary>
    private static FakeFleetReader Fleet(bool agentKnowsRevisions = true, params Backup[] backups)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["1.0.0"] = Samples.C1;
        var status = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DowngradeSteps = 1,
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
            TargetHeads = { "0001_initial" },
        };
        if (agentKnowsRevisions)
        {
            status.TargetRevisions.Add("0001_initial");
            status.TargetHistoryCommits.Add(Samples.C1);
        }

        fleet.Migrations["prod-1"] = status;
        fleet.Backups["prod-1"] = [.. backups];
        return fleet;
    }

    private static readonly Backup NewerHead = Backup("20261120-160000-full", "2026-11-20T16:00:00Z", "0002_teams", Samples.C2);
    private static readonly Backup NewerCode = Backup("20261120-150000-full", "2026-11-20T15:00:00Z", "0001_initial", Samples.C2);
    private static readonly Backup Fits = Backup("20261120-140000-full", "2026-11-20T14:00:00Z", "0001_initial", Samples.C1);
    private static readonly Backup Unverified = Backup("20261120-145000-quick", "2026-11-20T14:50:00Z", "0001_initial", Samples.C1, VerifyState.Unverified);

    private Task<Plan> PlanAsync(FakeFleetReader fleet, RollbackRequest request) =>
        new Planner(fleet).PlanRollbackAsync(Production, request, Now, TestContext.Current.CancellationToken);

    /// <summary>A backup taken under 1.0.0 before its migration ran (head "0000_empty", which 1.0.0 knows): 1.0.0's start-up brings it to 0001_initial.</summary>
    private static readonly Backup BehindTarget = Backup("20261120-130000-full", "2026-11-20T13:00:00Z", "0000_empty", Samples.C1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_backup_behind_the_targets_head_is_expected_at_the_targets_head_and_upgraded_first_when_the_app_migrates_by_command(bool runOnDeploy)
    {
        var fleet = Fleet(true, BehindTarget);
        var status = fleet.Migrations["prod-1"];
        status.TargetRevisions.Add("0000_empty");
        status.RunOnDeploy = runOnDeploy;

        var plan = await PlanAsync(fleet, new RollbackRequest("1.0.0", [], Type: 3));

        Assert.Equal("0001_initial", plan.Steps.OfType<CheckDatabaseStep>().Single().ExpectHead);
        var restore = plan.Steps.OfType<RestoreStep>().Single();
        var upgrade = plan.Steps.OfType<UpgradeStep>().SingleOrDefault();
        Assert.Equal(runOnDeploy, upgrade is not null);
        if (upgrade is not null)
        {
            Assert.Equal(Samples.C1, upgrade.Commit);
            Assert.Equal(restore.Index + 1, upgrade.Index);
        }
    }

    [Fact]
    public async Task By_default_it_takes_the_newest_verified_backup_the_target_knows_never_one_of_newer_code()
    {
        var plan = await PlanAsync(Fleet(true, NewerHead, NewerCode, Unverified, Fits), new RollbackRequest("1.0.0", [], Type: 3));

        Assert.Equal(RollbackType.FullSystem, plan.Type);
        Assert.Equal(Fits.Id, plan.Steps.OfType<RestoreStep>().Single().BackupId);
        Assert.Equal(Samples.C1, plan.TargetCommit);
    }

    [Theory]
    [InlineData("20261120-160000-full", "its Alembic head 0002_teams is not a revision 1.0.0 knows")]
    [InlineData("20261120-150000-full", "it was taken under 222222222222, newer code than 1.0.0")]
    public async Task An_explicit_backup_the_target_cannot_run_on_is_refused_with_the_candidates(string id, string why)
    {
        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(true, NewerHead, NewerCode, Unverified, Fits), new RollbackRequest("1.0.0", [], BackupId: id)));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains($"--backup {id} does not suit 1.0.0: {why}", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Verified backups 1.0.0 can run on (newest first):", error.Message, StringComparison.Ordinal);
        Assert.Contains("20261120-140000-full  2026-11-20 14:00:00Z  head 0001_initial  release 111111111111", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Unverified.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("--backup 20261120-140000-full", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_before_time_whose_backup_the_target_cannot_run_on_is_refused_not_replaced_silently()
    {
        var before = DateTimeOffset.Parse("2026-11-20T16:10:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(true, NewerHead, NewerCode, Fits), new RollbackRequest("1.0.0", [], Before: before)));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("--before 2026-11-20 16:10:00Z picks 20261120-160000-full, which does not suit 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains(Fits.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_backup_the_target_can_run_on_is_refused_with_every_backup_and_why_and_what_to_do()
    {
        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(true, NewerHead, NewerCode), new RollbackRequest("1.0.0", [], Type: 3)));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("No verified backup on prod-1 suits 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("20261120-160000-full  2026-11-20 16:00:00Z  head 0002_teams  release 222222222222: its Alembic head 0002_teams is not a revision 1.0.0 knows", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave out --to", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_does_not_say_what_the_target_knows_is_planned_as_before()
    {
        var plan = await PlanAsync(Fleet(false, NewerHead, NewerCode, Fits), new RollbackRequest("1.0.0", [], Type: 3));

        Assert.Equal(NewerHead.Id, plan.Steps.OfType<RestoreStep>().Single().BackupId);
    }
}
