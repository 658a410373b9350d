using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>Typed steps in the journal: the round trip, the old format, step conditions, and results one step hands to a later one.</summary>
public sealed class TypedStepsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public TypedStepsTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static T Step<T>(T step) where T : PlanStep => step;

    private static readonly Plan EveryKind = new(PlanKind.Rollback, RollbackType.FullSystem, "staging", Samples.C1, ["v1"], [], new Dictionary<string, string> { ["staging-1"] = Samples.C2 },
    [
        new StopServicesStep([]) { Index = 1, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new BackupStep(BackupKind.Quick) { Index = 2, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new CheckMigrationsStep("0002_teams") { Index = 3, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new UpgradeStep("head", 2) { Index = 4, Host = "staging-1", Verification = "v", Destructive = true, OnFailure = "f" },
        new DowngradeStep(1, "0001_initial", 2) { Index = 5, Host = "staging-1", Verification = "v", Destructive = true, OnFailure = "f", RunsIf = StepCondition.PreviousFailed },
        new RestoreStep("20261120-140000-full") { Index = 6, Host = "staging-1", Verification = "v", Destructive = true, OnFailure = "f", RunsIf = StepCondition.PreviousFailed },
        new RecreateServicesStep(["backend", "worker"], Samples.C1, PlanKind.Rollback, NoCache: true) { Index = 7, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new StartServicesStep(["frontend", "backend"]) { Index = 8, Host = "staging-1", Verification = "v", OnFailure = "f", RunsIf = StepCondition.Succeeded(4) },
        new CheckDatabaseStep("0001_initial") { Index = 9, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new HealthCheckStep([new Uri("http://10.77.0.11/health"), new Uri("http://10.77.0.11/api/v1/health")]) { Index = 10, Host = PlanStep.ControllerHost, Verification = "v", OnFailure = "f" },
        new SmokeTestStep(["login", "read"], new Uri("http://10.77.0.11/")) { Index = 11, Host = PlanStep.ControllerHost, Verification = "v", OnFailure = "f" },
        new VerifyBackupStep("20261120-140000-full") { Index = 12, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new PruneBackupsStep(DryRun: true) { Index = 13, Host = "staging-1", Verification = "v", OnFailure = "f" },
        new BackupStep(BackupKind.Full, PostRollback: true) { Index = 14, Host = "staging-1", Verification = "v", OnFailure = "f" },
    ]);

    [Fact]
    public void Every_step_type_goes_through_the_journal_and_comes_back_the_same()
    {
        var json = JsonSerializer.Serialize(EveryKind, JournalJson.Options);
        var back = JsonSerializer.Deserialize<Plan>(json, JournalJson.Options)!;

        Assert.Equal(EveryKind.Steps.Select(s => s.GetType()), back.Steps.Select(s => s.GetType()));
        Assert.Equal(EveryKind.Steps.Select(s => s.Operation), back.Steps.Select(s => s.Operation));
        Assert.Equal(EveryKind.Steps.Select(s => string.Join(";", s.DescribeArguments())), back.Steps.Select(s => string.Join(";", s.DescribeArguments())));
        Assert.Equal(EveryKind.Steps.Select(s => s.RunsIf), back.Steps.Select(s => s.RunsIf));
        Assert.Equal(["backend", "worker"], Assert.IsType<RecreateServicesStep>(back.Steps[6]).Services);
        Assert.Equal(2, Assert.IsType<DowngradeStep>(back.Steps[4]).BackupStep);
        Assert.Equal(PlanKind.Rollback, back.Kind);
        Assert.Equal(EveryKind.DrillKey, back.DrillKey);
        // The journal speaks the same words as before: the operation names, lower-case kinds, the condition texts.
        Assert.Contains("\"operation\":\"migrations.downgrade\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"rollback\"", json, StringComparison.Ordinal);
        Assert.Contains("\"runs_if\":\"succeeded:4\"", json, StringComparison.Ordinal);
        Assert.Equal("{\"type\":\"step_finished\",\"time\":\"2026-11-24T10:00:00+00:00\",\"result\":\"skipped\"}",
            JsonSerializer.Serialize(new JournalEntry { Type = JournalEntry.StepFinished, Time = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), Result = StepResult.Skipped }, JournalJson.Options));
        Assert.DoesNotContain("release-services", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", StepConditionKind.Always, null)]
    [InlineData("previous-failed", StepConditionKind.PreviousFailed, null)]
    [InlineData("succeeded:7", StepConditionKind.Succeeded, 7)]
    public void Step_conditions_read_and_write_the_journal_s_words(string text, StepConditionKind kind, int? step)
    {
        var condition = StepCondition.Parse(text)!;

        Assert.Equal(kind, condition.Kind);
        Assert.Equal(step, condition.SucceededStep);
        Assert.Equal(kind == StepConditionKind.PreviousFailed, condition.IsFallback);
        Assert.Equal(text, condition.ToString());
        Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(condition, JournalJson.Options));
        Assert.Null(StepCondition.Parse("succeeded:x"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StepCondition>("\"sometimes\"", JournalJson.Options));
    }

    /// <summary>A Type 2 rollback journaled by the previous version: string arguments, "release-services", URLs joined with spaces.</summary>
    internal const string OldJournal = """
        {"type":"run_started","time":"2026-11-24T10:00:00+00:00","run_id":"20261124-100000-staging-ab12","plan":{"kind":"rollback","type":"code_and_database","environment":"staging","target_commit":"1111111111111111111111111111111111111111","target_tags":[],"services":[],"current_commits":{"staging-1":"2222222222222222222222222222222222222222"},"steps":[{"index":1,"host":"staging-1","operation":"services.stop","arguments":{"services":"frontend,backend"},"verification":"agent: stop","destructive":false,"on_failure":"stop","runs_if":""},{"index":2,"host":"staging-1","operation":"database.backup","arguments":{"kind":"quick"},"verification":"agent: backup","destructive":false,"on_failure":"stop","runs_if":""},{"index":3,"host":"staging-1","operation":"migrations.downgrade","arguments":{"steps":"1","revision":"0001_initial","backup_step":"2"},"verification":"agent: downgrade","destructive":true,"on_failure":"stop","runs_if":""},{"index":4,"host":"staging-1","operation":"services.recreate","arguments":{"services":"release-services","commit":"1111111111111111111111111111111111111111","kind":"rollback"},"verification":"agent: recreate","destructive":false,"on_failure":"stop","runs_if":""},{"index":5,"host":"staging-1","operation":"database.check","arguments":{"expect_head":"0001_initial"},"verification":"controller: check","destructive":false,"on_failure":"stop","runs_if":""},{"index":6,"host":"controller","operation":"health.check","arguments":{"urls":"http://10.77.0.11/health http://10.77.0.11/api/v1/health"},"verification":"controller: health","destructive":false,"on_failure":"stop","runs_if":""},{"index":7,"host":"staging-1","operation":"database.backup","arguments":{"kind":"full","post_rollback":"true"},"verification":"agent: backup","destructive":false,"on_failure":"stop","runs_if":""}],"type_reason":"the database is at 0002_teams"},"who":"alice","flags":{"inventory":"teafleet.yaml","yes":true,"skip_drill":false,"command":"rollback"}}
        {"type":"step_started","time":"2026-11-24T10:00:01+00:00","run_id":"20261124-100000-staging-ab12","step":1,"host":"staging-1","operation":"services.stop","operation_id":"20261124-100000-staging-ab12.1.staging-1"}
        {"type":"step_finished","time":"2026-11-24T10:00:02+00:00","run_id":"20261124-100000-staging-ab12","step":1,"host":"staging-1","operation":"services.stop","result":"succeeded","message":"stopped"}
        {"type":"step_started","time":"2026-11-24T10:00:02+00:00","run_id":"20261124-100000-staging-ab12","step":2,"host":"staging-1","operation":"database.backup","operation_id":"20261124-100000-staging-ab12.2.staging-1"}
        {"type":"step_finished","time":"2026-11-24T10:00:05+00:00","run_id":"20261124-100000-staging-ab12","step":2,"host":"staging-1","operation":"database.backup","result":"succeeded","message":"backed up","data":{"backup_id":"20261124-100002-quick"}}
        {"type":"run_finished","time":"2026-11-24T10:00:06+00:00","run_id":"20261124-100000-staging-ab12","result":"failed","error":"stopped at step 3"}
        """;

    [Fact]
    public void A_journal_of_the_previous_version_is_listed_reported_and_resumable_with_typed_steps()
    {
        Directory.CreateDirectory(_inventory.RunsDir);
        File.WriteAllText(Path.Combine(_inventory.RunsDir, "20261124-100000-staging-ab12.jsonl"), OldJournal);

        var run = Assert.Single(new RunStore(_inventory.RunsDir).List());

        Assert.Equal(PlanKind.Rollback, run.Plan.Kind);
        Assert.Equal(StepResult.Failed, run.Result);
        Assert.Equal(["frontend", "backend"], Assert.IsType<StopServicesStep>(run.Plan.Steps[0]).Services);
        Assert.Equal(BackupKind.Quick, Assert.IsType<BackupStep>(run.Plan.Steps[1]).Kind);
        var downgrade = Assert.IsType<DowngradeStep>(run.Plan.Steps[2]);
        Assert.Equal((1, "0001_initial", (int?)2, true), (downgrade.Steps, downgrade.Revision, downgrade.BackupStep, downgrade.Destructive));
        var recreate = Assert.IsType<RecreateServicesStep>(run.Plan.Steps[3]);
        Assert.Equal((0, Samples.C1, PlanKind.Rollback, false), (recreate.Services.Count, recreate.Commit, recreate.Kind, recreate.NoCache));
        Assert.Equal("0001_initial", Assert.IsType<CheckDatabaseStep>(run.Plan.Steps[4]).ExpectHead);
        Assert.Equal(2, Assert.IsType<HealthCheckStep>(run.Plan.Steps[5]).Urls.Count);
        Assert.True(Assert.IsType<BackupStep>(run.Plan.Steps[6]).PostRollback);
        Assert.Equal("20261124-100002-quick", run.Steps[2].Results.BackupId);
        Assert.Equal([3, 4, 5, 6, 7], run.UnfinishedSteps.Select(s => s.Index));
        Assert.Equal("rollback|type2|" + Samples.C1 + "|*", run.Plan.DrillKey);

        var report = IncidentReport.Render(_inventory, run);
        Assert.Contains("Type 2 (code + database)", report, StringComparison.Ordinal);
        Assert.Contains("| 3 | staging-1 | migrations.downgrade | - | - | - | not run | |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("release-services", report, StringComparison.Ordinal);
        Assert.DoesNotContain("release-services", run.Plan.ServicesText, StringComparison.Ordinal);
    }

    private sealed class Scripted<TStep>(Func<TStep, StepContext, StepOutcome> run) : StepExecutor<TStep>
        where TStep : PlanStep
    {
        public override Task<StepOutcome> ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken) => Task.FromResult(run(step, context));
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    [Fact]
    public async Task A_downgrade_gets_the_backup_id_from_the_earlier_backup_step_s_journaled_result_also_after_a_resume()
    {
        var plan = new Plan(PlanKind.Rollback, RollbackType.CodeAndDatabase, "staging", Samples.C1, [], [], new Dictionary<string, string>(),
        [
            Step(new BackupStep(BackupKind.Quick) { Index = 1, Host = "staging-1", Verification = "", OnFailure = "" }),
            Step(new DowngradeStep(1, "0001_initial", BackupStep: 1) { Index = 2, Host = "staging-1", Verification = "", OnFailure = "" }),
        ]);
        var given = new List<string>();
        var downgradeFails = true;
        IStepExecutor[] executors =
        [
            new Scripted<BackupStep>((_, _) => StepOutcome.Success("backed up", new Dictionary<string, string> { [OperationResultKeys.BackupId] = "20261124-100002-quick" })),
            new Scripted<DowngradeStep>((step, context) =>
            {
                given.Add(context.BackupIdOf(step.BackupStep));
                return downgradeFails ? StepOutcome.Failure("alembic failed") : StepOutcome.Success("downgraded");
            }),
        ];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var runId = RunStore.NewRunId("staging", time);
        using (var journal = RunJournal.Create(_inventory.RunsDir, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
            await new RunEngine(executors, time).ExecuteAsync(_inventory, journal, plan, new HashSet<int>(), "test", "", new Quiet(), TestContext.Current.CancellationToken);
        }

        // Resumed: the backup step is done; its id comes from the journal, not from the agent's catalogue.
        var run = new RunStore(_inventory.RunsDir).Get(runId);
        Assert.Equal("20261124-100002-quick", run.Steps[1].Results.BackupId);
        downgradeFails = false;
        using (var journal = RunJournal.Append(run.Path, runId))
        {
            var done = run.Steps.Values.Where(s => s.Result == StepResult.Succeeded).ToList();
            var outcome = await new RunEngine(executors, time).ExecuteAsync(_inventory, journal, plan, done.Select(s => s.Index).ToHashSet(), "test", "", new Quiet(), TestContext.Current.CancellationToken,
                done.ToDictionary(s => s.Index, s => s.Results));
            Assert.True(outcome.Succeeded);
        }

        Assert.Equal(["20261124-100002-quick", "20261124-100002-quick"], given);
    }
}
