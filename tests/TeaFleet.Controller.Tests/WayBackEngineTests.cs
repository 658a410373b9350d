using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The engine's way back: when a run stops at a failure, the steps that undo what it had done (start
/// what it stopped) run, each only if the step it undoes had succeeded; and resume redoes the undone
/// steps. The steps are scripted stand-ins; the real restore with its stops and starts runs in the fleet
/// tests (DatabaseTests).
/// </summary>
public sealed class WayBackEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public WayBackEngineTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private sealed class Scripted(Func<int, bool> succeeds, List<int> ran, FakeTimeProvider time) : StepExecutor<HealthCheckStep>
    {
        public override Task<StepOutcome> ExecuteAsync(HealthCheckStep step, StepContext context, CancellationToken cancellationToken)
        {
            ran.Add(context.Step.Index);
            time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(succeeds(context.Step.Index) ? StepOutcome.Success("ok") : StepOutcome.Failure("no"));
        }
    }

    private sealed class Notes : IRunObserver
    {
        public List<string> Lines { get; } = [];

        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) => Lines.Add(message);
    }

    private static PlanStep Step(int index, StepCondition? runsIf = null) =>
        new HealthCheckStep([]) { Index = index, Host = PlanStep.ControllerHost, Verification = "", OnFailure = "", RunsIf = runsIf ?? StepCondition.Always };

    // Stop on two hosts, restore, start on two hosts, and the way back: start each host again.
    private static readonly Plan Restore = new(PlanKind.Restore, RollbackType.None, "staging", "", [], [], new Dictionary<string, string>(),
    [
        Step(1), Step(2), Step(3), Step(4), Step(5),
        Step(6, StepCondition.Undoes(1)),
        Step(7, StepCondition.Undoes(2)),
    ]);

    private string Start(Func<int, bool> succeeds, List<int> ran, Notes notes, out RunOutcome outcome)
    {
        var runId = RunStore.NewRunId("staging", _time);
        using var journal = RunJournal.Create(_dir.Path, runId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = Restore, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "restore") });
        outcome = Run(journal, succeeds, ran, notes, new HashSet<int>());
        return runId;
    }

    private RunOutcome Run(RunJournal journal, Func<int, bool> succeeds, List<int> ran, Notes notes, IReadOnlySet<int> done) =>
        new RunEngine([new Scripted(succeeds, ran, _time)], _time)
            .ExecuteAsync(_inventory, journal, Restore, done, "test", "", notes, TestContext.Current.CancellationToken).GetAwaiter().GetResult();

    [Fact]
    public void A_run_that_succeeds_skips_its_way_back()
    {
        var ran = new List<int>();
        var runId = Start(_ => true, ran, new Notes(), out var outcome);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([1, 2, 3, 4, 5], ran);
        var run = new RunStore(_dir.Path).Get(runId);
        Assert.Equal(StepResult.Skipped, run.Steps[6].Result);
        Assert.Equal(StepResult.Skipped, run.Steps[7].Result);
        Assert.Empty(run.UnfinishedSteps);
    }

    [Fact]
    public void A_failure_after_the_stops_starts_every_stopped_host_again_and_the_run_stays_failed()
    {
        var ran = new List<int>();
        var notes = new Notes();
        var runId = Start(i => i != 3, ran, notes, out var outcome);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal(3, outcome.FailedStep!.Index);
        Assert.Equal([1, 2, 3, 6, 7], ran);
        Assert.Contains(notes.Lines, l => l.Contains("way back", StringComparison.Ordinal) && l.Contains("6, 7", StringComparison.Ordinal));
        var run = new RunStore(_dir.Path).Get(runId);
        Assert.Equal(StepResult.Failed, run.Result);
        Assert.Equal(StepResult.Succeeded, run.Steps[6].Result);
    }

    [Fact]
    public void The_way_back_undoes_only_steps_that_had_succeeded()
    {
        var ran = new List<int>();
        Start(i => i != 2, ran, new Notes(), out var outcome);

        Assert.Equal(2, outcome.FailedStep!.Index);
        Assert.Equal([1, 2, 6], ran);
    }

    [Fact]
    public void A_failed_way_back_step_does_not_stop_the_others()
    {
        var ran = new List<int>();
        Start(i => i is not (3 or 6), ran, new Notes(), out var outcome);

        Assert.Equal(3, outcome.FailedStep!.Index);
        Assert.Equal([1, 2, 3, 6, 7], ran);
    }

    [Fact]
    public void Resume_redoes_the_steps_the_way_back_undid_before_it_retries_the_failed_one()
    {
        var runId = Start(i => i != 3, [], new Notes(), out _);
        var run = new RunStore(_dir.Path).Get(runId);

        // The stops were undone by the way back: resuming must stop again before it restores.
        Assert.Empty(run.DoneSteps);
        Assert.Equal([1, 2, 3, 4, 5], run.UnfinishedSteps.Select(s => s.Index));

        var ran = new List<int>();
        using (var journal = RunJournal.Append(run.Path, runId))
        {
            var outcome = Run(journal, _ => true, ran, new Notes(), run.DoneSteps.Select(s => s.Index).ToHashSet());
            Assert.Equal(StepResult.Succeeded, outcome.Result);
        }

        Assert.Equal([1, 2, 3, 4, 5], ran);
        var resumed = new RunStore(_dir.Path).Get(runId);
        Assert.Equal([1, 2, 3, 4, 5], resumed.DoneSteps.Select(s => s.Index));
        Assert.Empty(resumed.UnfinishedSteps);
    }

    [Fact]
    public void A_step_that_failed_before_any_stop_leaves_nothing_to_undo()
    {
        var ran = new List<int>();
        Start(i => i != 1, ran, new Notes(), out var outcome);

        Assert.Equal(1, outcome.FailedStep!.Index);
        Assert.Equal([1], ran);
    }

    // A deploy: switch two hosts; the way back checks the database (gate), then switches each back only if the gate succeeded.
    private static readonly Plan Guarded = new(PlanKind.Deploy, RollbackType.None, "staging", "", [], [], new Dictionary<string, string>(),
    [
        Step(1), Step(2),
        Step(3, StepCondition.UndoesTried(1)),
        Step(4, StepCondition.UndoesTried(1)) with { Requires = 3 },
        Step(5, StepCondition.UndoesTried(2)) with { Requires = 3 },
    ]);

    private (RunOutcome Outcome, RunRecord Run) RunGuarded(Func<int, bool> succeeds, List<int> ran)
    {
        var runId = RunStore.NewRunId("staging", _time);
        RunOutcome outcome;
        using (var journal = RunJournal.Create(_dir.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = Guarded, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "deploy") });
            outcome = new RunEngine([new Scripted(succeeds, ran, _time)], _time)
                .ExecuteAsync(_inventory, journal, Guarded, new HashSet<int>(), "test", "", new Notes(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        }

        return (outcome, new RunStore(_dir.Path).Get(runId));
    }

    [Fact]
    public void A_guarded_way_back_step_runs_once_its_gate_succeeded()
    {
        var ran = new List<int>();
        var (outcome, _) = RunGuarded(i => i != 2, ran);

        Assert.Equal(2, outcome.FailedStep!.Index);
        Assert.Equal([1, 2, 3, 4, 5], ran);
    }

    [Fact]
    public void A_guarded_way_back_step_is_skipped_when_its_gate_failed()
    {
        var ran = new List<int>();
        var (outcome, run) = RunGuarded(i => i is not (2 or 3), ran);

        Assert.Equal(2, outcome.FailedStep!.Index);
        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal([1, 2, 3], ran);
        Assert.Equal(StepResult.Skipped, run.Steps[4].Result);
        Assert.Equal("not run: it requires step 3, which did not succeed", run.Steps[5].Message);
    }
}
