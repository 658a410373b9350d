using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The engine's step conditions (scenario 2's "complete, else downgrade, else restore"). The steps
/// here are scripted stand-ins: what is under test is only the engine's order and journal; the real
/// operations run in the fleet tests (MigrationTests).
/// </summary>
public sealed class FallbackEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public FallbackEngineTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private sealed class Scripted(Func<int, bool> succeeds, List<int> ran) : StepExecutor<HealthCheckStep>
    {
        public override Task<StepOutcome> ExecuteAsync(HealthCheckStep step, StepContext context, CancellationToken cancellationToken)
        {
            ran.Add(context.Step.Index);
            return Task.FromResult(succeeds(context.Step.Index) ? StepOutcome.Success("ok") : StepOutcome.Failure("no"));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    private static PlanStep Step(int index, StepCondition? runsIf = null) =>
        new HealthCheckStep([]) { Index = index, Host = PlanStep.ControllerHost, Verification = "", OnFailure = "", RunsIf = runsIf ?? StepCondition.Always };

    private static readonly Plan Scenario = new(PlanKind.Repair, RollbackType.None, "staging", "", [], [], new Dictionary<string, string>(),
    [
        Step(1),
        Step(2, StepCondition.PreviousFailed),
        Step(3, StepCondition.PreviousFailed),
        Step(4),
        Step(5, StepCondition.Succeeded(1)),
    ]);

    private (RunOutcome Outcome, List<int> Ran, RunRecord Run) Execute(Func<int, bool> succeeds, IReadOnlySet<int>? done = null)
    {
        var ran = new List<int>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var runId = RunStore.NewRunId("staging", time);
        RunOutcome outcome;
        using (var journal = RunJournal.Create(_dir.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = time.GetUtcNow(), Plan = Scenario, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "repair") });
            outcome = new RunEngine([new Scripted(succeeds, ran)], time)
                .ExecuteAsync(_inventory, journal, Scenario, done ?? new HashSet<int>(), "test", "", new Quiet(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        }

        return (outcome, ran, new RunStore(_dir.Path).Get(runId));
    }

    [Fact]
    public void When_the_first_option_works_the_fallbacks_are_skipped_and_the_dependent_step_runs()
    {
        var (outcome, ran, run) = Execute(_ => true);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([1, 4, 5], ran);
        Assert.Equal(StepResult.Skipped, run.Steps[2].Result);
        Assert.Equal(StepResult.Skipped, run.Steps[3].Result);
    }

    [Fact]
    public void A_failed_option_moves_to_the_next_and_the_step_that_needs_the_first_is_skipped()
    {
        var (outcome, ran, run) = Execute(i => i != 1);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([1, 2, 4], ran);
        Assert.Equal(StepResult.Failed, run.Steps[1].Result);
        Assert.Equal(StepResult.Skipped, run.Steps[3].Result);
        Assert.Equal(StepResult.Skipped, run.Steps[5].Result);
    }

    [Fact]
    public void When_every_option_fails_the_run_fails_at_the_last_one()
    {
        var (outcome, ran, _) = Execute(i => i > 3);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal(3, outcome.FailedStep!.Index);
        Assert.Equal([1, 2, 3], ran);
    }

    [Fact]
    public void A_resumed_run_does_not_try_a_chain_again_once_one_of_its_options_succeeded()
    {
        var (_, ran, _) = Execute(_ => true, new HashSet<int> { 2 });

        Assert.Equal([4], ran);
    }
}
