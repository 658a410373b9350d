using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A Type 2's pre-flight (the downgrade rendered offline before anything stops) and its way back, run by the
/// engine with scripted stand-ins for every step: a failed render changes nothing; a failed downgrade that
/// left the database unchanged starts the services on the current code; a failure after the downgrade
/// restores the pre-downgrade backup and switches the hosts back; the final message says what runs and
/// the one command to go on. The real Alembic, restore and switch run in the fleet tests.
/// </summary>
public sealed class Type2WayBackTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(Now);

    public Type2WayBackTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        var status = new MigrationStatus
        {
            Host = "prod-1",
            CodeCommit = Samples.C2,
            State = MigrationState.UpToDate,
            TargetCommit = Samples.C1,
            DowngradeSteps = 1,
            UpgradeSteps = -1,
            Service = "backend",
            DatabaseHeads = { "0002_teams" },
            CodeHeads = { "0002_teams" },
            TargetHeads = { "0001_initial" },
            DowngradeRevisions = { "0002_teams" },
        };
        fleet.Migrations["prod-1"] = status;
        return fleet;
    }

    private Task<Plan> PlanAsync() =>
        new Planner(Fleet()).PlanRollbackAsync(Production, new RollbackRequest(null, []), Now, TestContext.Current.CancellationToken);

    private sealed class Scripted(Type stepType, Func<PlanStep, StepOutcome> script, List<string> ran, FakeTimeProvider time) : IStepExecutor
    {
        public Type StepType => stepType;

        public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
        {
            ran.Add($"{context.Step.Index}:{context.Step.Host}:{context.Step.Operation}");
            time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(script(context.Step));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    /// <summary>Runs the plan with every step succeeding except where <paramref name="fail"/> says otherwise; the run as journaled.</summary>
    private (RunOutcome Outcome, RunRecord Run, List<string> Ran) Run(Plan plan, Func<PlanStep, StepOutcome?> fail)
    {
        var ran = new List<string>();
        StepOutcome Script(PlanStep step) => fail(step) ?? StepOutcome.Success("ok", step is BackupStep ? new Dictionary<string, string> { [OperationResultKeys.BackupId] = $"backup-of-{step.Index}" } : null);
        var executors = plan.Steps.Select(s => s.GetType()).Distinct().Select(t => (IStepExecutor)new Scripted(t, Script, ran, _time)).ToList();
        var runId = RunStore.NewRunId("production", _time);
        RunOutcome outcome;
        using (var journal = RunJournal.Create(_dir.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
            outcome = new RunEngine(executors, _time).ExecuteAsync(_inventory, journal, plan, new HashSet<int>(), "test", "", new Quiet(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        }

        return (outcome, new RunStore(_dir.Path).Get(runId), ran);
    }

    private static string NextMove(Plan plan, RunOutcome outcome, RunRecord run) =>
        plan.Procedure.NextMove("-i inv", plan, outcome.FailedStep, run.Steps, run.RunId);

    [Fact]
    public async Task The_downgrade_is_rendered_offline_first_and_the_way_back_sits_before_the_post_rollback_backup()
    {
        var plan = await PlanAsync();

        var render = Assert.IsType<RenderDowngradeStep>(plan.Steps[0]);
        Assert.Equal(("prod-1", 1, "0001_initial"), (render.Host, render.Steps, render.Revision));
        Assert.False(render.Destructive);
        Assert.Contains("nothing was changed", render.OnFailure, StringComparison.Ordinal);
        Assert.Contains($"teafleet rollback production --to {GitRefs.Short(Samples.C1)} --type 3", render.OnFailure, StringComparison.Ordinal);
        Assert.Contains(("steps", "1"), render.DescribeArguments().Select(a => (a.Key, a.Value)));
        Assert.Contains(("offline", "true"), render.DescribeArguments().Select(a => (a.Key, a.Value)));

        var backup = plan.Steps.OfType<BackupStep>().First();
        var downgrade = plan.Steps.OfType<DowngradeStep>().Single();
        var switches = plan.Steps.OfType<RecreateServicesStep>().Where(s => s.Undoes is null).ToList();
        var stops = plan.Steps.OfType<StopServicesStep>().Where(s => s.Undoes is null).ToList();
        Assert.All(stops, s => Assert.True(s.Index > render.Index));

        var wayBack = plan.Steps.Where(s => s.Undoes is not null).ToList();
        var restore = Assert.Single(wayBack.OfType<RestoreStep>());
        Assert.Equal(backup.Index, restore.BackupStep);
        Assert.Equal(StepCondition.UndoesTried(downgrade.Index), restore.RunsIf);
        Assert.Equal(("backup_step", backup.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)), (restore.DescribeArguments()[0].Key, restore.DescribeArguments()[0].Value));
        // Each switched host: stopped before the restore, switched back to the code it ran after it.
        Assert.Equal(switches.Select(s => StepCondition.UndoesTried(s.Index)), wayBack.OfType<StopServicesStep>().Select(s => s.RunsIf));
        Assert.True(wayBack.OfType<StopServicesStep>().All(s => s.Index < restore.Index));
        var back = wayBack.OfType<RecreateServicesStep>().ToList();
        Assert.Equal(switches.Select(s => (s.Host, StepCondition.UndoesTried(s.Index))), back.Select(s => (s.Host, s.RunsIf)));
        Assert.All(back, s => Assert.Equal(Samples.C2, s.Commit));
        Assert.All(back, s => Assert.True(s.Index > restore.Index));
        // Every stopped host started again, last.
        Assert.Equal(stops.Select(s => (s.Host, StepCondition.Undoes(s.Index))), wayBack.OfType<StartServicesStep>().Select(s => (s.Host, s.RunsIf)));

        var post = Assert.IsType<BackupStep>(plan.Steps[^2]);
        Assert.IsType<MonitorStep>(plan.Steps[^1]);
        Assert.True(post.PostRollback);
        Assert.Equal(StepCondition.Always, post.RunsIf);
        Assert.True(wayBack.Max(s => s.Index) < post.Index);
        Assert.Contains("Step 1 renders the downgrade offline first", plan.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_that_cannot_render_stops_the_run_before_anything_changes_and_names_the_type_3_command()
    {
        var plan = await PlanAsync();

        var (outcome, run, ran) = Run(plan, s => s is RenderDowngradeStep ? StepOutcome.Failure("migrations.render failed at step render: Alembic cannot render the downgrade") : null);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal(1, outcome.FailedStep!.Index);
        Assert.Equal(["1:prod-1:migrations.render"], ran);
        var next = NextMove(plan, outcome, run);
        Assert.Contains("nothing was changed", next, StringComparison.Ordinal);
        Assert.Contains($"teafleet -i inv rollback production --to {GitRefs.Short(Samples.C1)} --type 3", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downgrade_that_failed_and_changed_nothing_starts_the_services_on_the_current_code_and_restores_nothing()
    {
        var plan = await PlanAsync();
        var downgrade = plan.Steps.OfType<DowngradeStep>().Single();

        var (outcome, run, ran) = Run(plan, s => s is DowngradeStep
            ? StepOutcome.Failure("migrations.downgrade failed at step downgrade: RuntimeError; the database is unchanged (still at 0002_teams)", [],
                new Dictionary<string, string> { [OperationResultKeys.Changed] = "false", [OperationResultKeys.Revision] = "0002_teams" })
            : null);

        Assert.Equal(downgrade.Index, outcome.FailedStep!.Index);
        var wayBack = ran.Skip(ran.IndexOf($"{downgrade.Index}:prod-1:migrations.downgrade") + 1).ToList();
        Assert.All(wayBack, r => Assert.EndsWith("services.start", r, StringComparison.Ordinal));
        Assert.Equal(2, wayBack.Count);
        Assert.False(run.Steps.ContainsKey(plan.Steps.OfType<RestoreStep>().Single().Index));
        var next = NextMove(plan, outcome, run);
        Assert.Contains($"the app serves on the current code {GitRefs.Short(Samples.C2)} again", next, StringComparison.Ordinal);
        Assert.Contains("the database is unchanged (still at 0002_teams)", next, StringComparison.Ordinal);
        Assert.Contains("--type 3", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downgrade_that_failed_before_Alembic_ran_restores_nothing_and_says_no_migration_ran()
    {
        var plan = await PlanAsync();

        var (outcome, run, ran) = Run(plan, s => s is DowngradeStep
            ? StepOutcome.Failure("migrations.downgrade failed at step backup: not enough space; the database is unchanged (no migration ran)", [],
                new Dictionary<string, string> { [OperationResultKeys.Changed] = "false" })
            : null);

        Assert.DoesNotContain(ran, r => r.EndsWith("database.restore", StringComparison.Ordinal));
        Assert.Contains("the database is unchanged (no migration ran)", NextMove(plan, outcome, run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downgrade_that_failed_having_moved_the_database_restores_the_backup_before_starting_the_services()
    {
        var plan = await PlanAsync();
        var restore = plan.Steps.OfType<RestoreStep>().Single();

        var (_, run, ran) = Run(plan, s => s is DowngradeStep
            ? StepOutcome.Failure("the database changed", [], new Dictionary<string, string> { [OperationResultKeys.Changed] = "true" })
            : null);

        Assert.Contains($"{restore.Index}:prod-1:database.restore", ran);
        Assert.True(ran.IndexOf($"{restore.Index}:prod-1:database.restore") < ran.FindIndex(r => r.EndsWith("services.start", StringComparison.Ordinal)));
        Assert.DoesNotContain(ran, r => r.EndsWith("services.recreate", StringComparison.Ordinal));
        Assert.Equal(StepResult.Succeeded, run.Steps[restore.Index].Result);
    }

    [Fact]
    public async Task A_switch_that_fails_after_the_downgrade_restores_the_pre_downgrade_backup_and_switches_every_reached_host_back()
    {
        var plan = await PlanAsync();
        var backup = plan.Steps.OfType<BackupStep>().First();
        var downgrade = plan.Steps.OfType<DowngradeStep>().Single();
        var failing = plan.Steps.OfType<RecreateServicesStep>().Single(s => s.Host == "prod-2" && s.Undoes is null);
        var restore = plan.Steps.OfType<RestoreStep>().Single();

        var (outcome, run, ran) = Run(plan, s => s == failing ? StepOutcome.Failure("verify: backend is restarting") : null);

        Assert.Equal(failing.Index, outcome.FailedStep!.Index);
        var wayBack = ran.Skip(ran.IndexOf($"{failing.Index}:prod-2:services.recreate") + 1).Select(r => r[(r.IndexOf(':', StringComparison.Ordinal) + 1)..]).ToList();
        Assert.Equal(
            ["prod-1:services.stop", "prod-2:services.stop", "prod-1:database.restore", "prod-1:services.recreate", "prod-2:services.recreate", "prod-1:services.start", "prod-2:services.start"],
            wayBack);
        // The post-rollback backup is past the way back: never run after a failure.
        Assert.False(run.Steps.ContainsKey(plan.Steps[^2].Index));
        var next = NextMove(plan, outcome, run);
        Assert.Contains($"the database was put back from the pre-downgrade backup (step {backup.Index})", next, StringComparison.Ordinal);
        Assert.Contains($"the app serves on the current code {GitRefs.Short(Samples.C2)} again", next, StringComparison.Ordinal);
        Assert.Contains($"'teafleet -i inv plan rollback production --to {GitRefs.Short(Samples.C1)}'", next, StringComparison.Ordinal);
        // Resume would do it all again: the stops, the downgrade and both switches were undone.
        Assert.Contains(downgrade.Index, run.UnfinishedSteps.Select(s => s.Index));
        Assert.Equal(2, run.UnfinishedSteps.OfType<RecreateServicesStep>().Count());
        Assert.Equal(StepResult.Succeeded, run.Steps[restore.Index].Result);
    }

    [Fact]
    public async Task A_run_that_succeeds_skips_the_way_back_and_takes_the_post_rollback_backup()
    {
        var plan = await PlanAsync();

        var (outcome, run, _) = Run(plan, _ => null);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.All(plan.Steps.Where(s => s.Undoes is not null), s => Assert.Equal(StepResult.Skipped, run.Steps[s.Index].Result));
        Assert.Equal(StepResult.Succeeded, run.Steps[plan.Steps[^1].Index].Result);
    }

    [Fact]
    public async Task A_failed_post_rollback_backup_takes_no_way_back()
    {
        var plan = await PlanAsync();
        var post = plan.Steps[^2];

        var (outcome, _, ran) = Run(plan, s => s == post ? StepOutcome.Failure("not enough space") : null);

        Assert.Equal(post.Index, outcome.FailedStep!.Index);
        Assert.Equal($"{post.Index}:prod-1:database.backup", ran[^1]);
        // Everything but the way back and the watch after it ran.
        Assert.Equal(plan.Steps.Count(s => s.Undoes is null) - 1, ran.Count);
    }

    [Fact]
    public async Task A_way_back_step_that_fails_is_reported_with_the_commands_that_show_what_runs()
    {
        var plan = await PlanAsync();
        var failing = plan.Steps.OfType<RecreateServicesStep>().First(s => s.Undoes is null);
        var restore = plan.Steps.OfType<RestoreStep>().Single();

        var (outcome, run, _) = Run(plan, s => s == failing || s == restore ? StepOutcome.Failure("no") : null);

        var next = NextMove(plan, outcome, run);
        Assert.Contains($"the way back did not finish: step {restore.Index} (database.restore on prod-1) failed", next, StringComparison.Ordinal);
        Assert.Contains("teafleet -i inv status production", next, StringComparison.Ordinal);
    }

    [Fact]
    public void The_undoes_tried_condition_is_journaled_and_read_back()
    {
        var condition = StepCondition.UndoesTried(7);

        Assert.Equal("undoes-tried:7", condition.ToString());
        Assert.Equal(condition, StepCondition.Parse("undoes-tried:7"));
        Assert.Equal(7, condition.UndoesStep);
        Assert.True(condition.UndoesFailedStep);
        Assert.False(StepCondition.Undoes(7).UndoesFailedStep);
    }
}
