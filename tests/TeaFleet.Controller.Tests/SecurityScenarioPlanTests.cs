using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Runbook scenario 5 as a plan ('teafleet scenario security ENV --before TIME --patched REF'): offline first,
/// the evidence on every host before the destructive restore, the pre-incident backup, the patched code, traffic
/// back last; and what it refuses before anything changes. The real agents run it in SecurityScenarioTests.
/// </summary>
public sealed class SecurityScenarioPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Incident = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public SecurityScenarioPlanTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static Backup Backup(string id, DateTimeOffset at, string head, string release) => new()
    {
        Id = id,
        TakenAt = Timestamp.FromDateTimeOffset(at),
        Kind = BackupKind.Full,
        VerifyState = VerifyState.Verified,
        ReleaseCommit = release,
        MigrationHead = head,
    };

    private static readonly Backup BeforeIncident = Backup("20261120-140000-full", Incident.AddHours(-1), "0002_teams", Samples.C2);
    private static readonly Backup AfterIncident = Backup("20261120-160000-full", Incident.AddHours(1), "0002_teams", Samples.C2);

    /// <summary>
    /// 1.0.0 (C1, head 0001) then 1.1.0 (C2, head 0002) on both production hosts; 1.1.1 (C3) is the patch on top
    /// of 1.1.0 (its scripts know 0001 and 0002); "old-hotfix" (C1) only knows 0001. Backups at 14:00 and 16:00.
    /// </summary>
    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Refs["1.1.1"] = Samples.C3;
        fleet.Refs["old-hotfix"] = Samples.C1;
        fleet.Refs[Samples.C2] = Samples.C2;
        fleet.Backups["prod-1"] = [AfterIncident, BeforeIncident];
        fleet.Migrations["prod-1"] = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C2, State = MigrationState.UpToDate, DatabaseHeads = { "0002_teams" }, CodeHeads = { "0002_teams" } };
        fleet.MigrationsByTarget[Samples.C3] = Status(Samples.C3, ["0002_teams"], ["0001_initial", "0002_teams"], [Samples.C1, Samples.C2, Samples.C3]);
        fleet.MigrationsByTarget[Samples.C2] = Status(Samples.C2, ["0002_teams"], ["0001_initial", "0002_teams"], [Samples.C1, Samples.C2]);
        fleet.MigrationsByTarget[Samples.C1] = Status(Samples.C1, ["0001_initial"], ["0001_initial"], [Samples.C1]);
        return fleet;
    }

    private static MigrationStatus Status(string target, string[] heads, string[] revisions, string[] history)
    {
        var status = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C2, State = MigrationState.UpToDate, TargetCommit = target, DatabaseHeads = { "0002_teams" }, CodeHeads = { "0002_teams" } };
        status.TargetHeads.AddRange(heads);
        status.TargetRevisions.AddRange(revisions);
        status.TargetHistoryCommits.AddRange(history);
        return status;
    }

    private Task<Plan> PlanAsync(FakeFleetReader fleet, DateTimeOffset? before, string? patched, string? to = null) =>
        new Planner(fleet).PlanScenarioAsync(Production, Scenarios.Security, new ScenarioRequest(to, before, patched), Now, TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_plan_goes_offline_then_collects_the_evidence_on_every_host_then_restores_the_pre_incident_backup_and_switches_to_the_patched_code()
    {
        var plan = await PlanAsync(Fleet(), Incident, "1.1.1");

        Assert.Equal(PlanKind.Security, plan.Kind);
        Assert.Equal(RollbackType.FullSystem, plan.Type);
        Assert.Equal(Samples.C3, plan.TargetCommit);
        Assert.True(plan.NeedsDrill);
        Assert.Equal(BeforeIncident.TakenAt.ToDateTimeOffset(), plan.DataLossSince);

        int First<T>() where T : PlanStep => plan.Steps.OfType<T>().Min(s => s.Index);
        int Last<T>() where T : PlanStep => plan.Steps.OfType<T>().Max(s => s.Index);
        var collects = plan.Steps.OfType<CollectForensicsStep>().ToList();
        Assert.Equal(["prod-1", "prod-2"], collects.Select(c => c.Host));
        Assert.All(collects, c => Assert.False(c.Destructive));
        Assert.True(Last<StopServicesStep>() < First<CollectForensicsStep>(), "the app is stopped before the evidence is collected");
        Assert.True(Last<CollectForensicsStep>() < First<RestoreStep>(), "the evidence (and the forensic backup) comes before the restore");
        var restore = plan.Steps.OfType<RestoreStep>().Single();
        Assert.Equal(BeforeIncident.Id, restore.BackupId);
        Assert.Contains("forensic backup", restore.Verification, StringComparison.Ordinal);
        Assert.Contains("forensic database backup", collects.Single(c => c.Host == "prod-1").Verification, StringComparison.Ordinal);
        Assert.DoesNotContain("forensic database backup", collects.Single(c => c.Host == "prod-2").Verification, StringComparison.Ordinal);
        var recreates = plan.Steps.OfType<RecreateServicesStep>().ToList();
        Assert.All(recreates, r => Assert.Equal(Samples.C3, r.Commit));
        Assert.True(restore.Index < recreates.Min(r => r.Index));
        var postBackup = plan.Steps.OfType<BackupStep>().Single(b => b.PostRollback).Index;
        Assert.True(postBackup > plan.Steps.Where(s => s is RecreateServicesStep or AllowTrafficStep or HealthCheckStep).Max(s => s.Index), "the post-rollback backup once the app answers");
        Assert.IsType<MonitorStep>(plan.Steps[^1]);
        Assert.Contains("Data loss window: everything written after 2026-11-20 14:00:00Z", plan.Note, StringComparison.Ordinal);
        Assert.Contains("patched 1.1.1", plan.Note, StringComparison.Ordinal);
        Assert.Contains("secrets-rotated", plan.Note, StringComparison.Ordinal);
        Assert.Contains("scenario security staging --before", plan.Procedure.DrillCommand(_inventory, "staging", plan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_patched_the_code_goes_to_the_backups_release_and_the_plan_says_the_vulnerability_is_still_in_it()
    {
        var plan = await PlanAsync(Fleet(), Incident, null);

        Assert.Equal(Samples.C2, plan.TargetCommit);
        Assert.Contains("THE VULNERABILITY IS STILL IN THAT CODE", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_before_it_is_refused_before_any_agent_is_asked()
    {
        // A fleet that knows nothing: any read (backups, refs) would fail with another message than the refusal.
        var fleet = new FakeFleetReader();

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet, null, "1.1.1"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("needs --before TIME", error.Message, StringComparison.Ordinal);
        Assert.Contains("--before \"YYYY-MM-DD HH:MM\" --patched REF", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patched_ref_whose_migrations_are_behind_the_backups_head_is_refused_at_plan_time()
    {
        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(), Incident, "old-hotfix"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("--patched old-hotfix", error.Message, StringComparison.Ordinal);
        Assert.Contains("0002_teams", error.Message, StringComparison.Ordinal);
        Assert.Contains("behind the restored database; nothing was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_without_forensics_is_refused_before_the_app_is_taken_offline()
    {
        var fleet = Fleet();
        fleet.Features["prod-1"] = ["services", "firewall", "forensics"];
        fleet.Features["prod-2"] = ["services", "firewall"];

        var error = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(fleet, Incident, "1.1.1"));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("the agent on prod-2 cannot collect forensic evidence", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade the agent on prod-2", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task To_is_refused_for_security_and_before_for_the_other_scenarios()
    {
        var to = await Assert.ThrowsAsync<FleetException>(() => PlanAsync(Fleet(), Incident, null, to: "1.1.1"));
        var before = await Assert.ThrowsAsync<FleetException>(() =>
            new Planner(Fleet()).PlanScenarioAsync(Production, Scenarios.Worker, new ScenarioRequest(null, Incident), Now, TestContext.Current.CancellationToken));

        Assert.Contains("--patched REF", to.Message, StringComparison.Ordinal);
        Assert.Contains("apply to scenario security only", before.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_scenario_security_prints_every_step_with_its_verification_and_the_data_loss_window_and_changes_nothing()
    {
        var fleet = Fleet();
        var inventory = _dir.File("teafleet.yaml", Samples.Inventory);

        var (exit, output, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), fleet, "plan", "scenario", "security", "production", "-i", inventory,
            "--before", "2026-11-20 15:00Z", "--patched", "1.1.1", "--json");

        Assert.Equal(ExitCodes.Done, exit);
        var plan = JsonDocument.Parse(output.Split('\n')[0]).RootElement;
        Assert.Equal("security", plan.GetProperty("kind").GetString());
        Assert.Equal(Samples.C3, plan.GetProperty("target_commit").GetString());
        Assert.Contains("\"forensics.collect\"", output, StringComparison.Ordinal);
        Assert.Empty(fleet.LeaseCalls.Calls);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state")));

        var (textExit, text, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), fleet, "plan", "scenario", "security", "production", "-i", inventory,
            "--before", "2026-11-20 15:00Z", "--patched", "1.1.1");
        Assert.Equal(ExitCodes.Done, textExit);
        Assert.Contains("Scenario 5: critical security vulnerability", text, StringComparison.Ordinal);
        Assert.Contains("forensics.collect", text, StringComparison.Ordinal);
        Assert.Contains("Data loss window", text, StringComparison.Ordinal);
    }
}
