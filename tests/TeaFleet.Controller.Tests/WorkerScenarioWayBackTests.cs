using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Scenario 3's way back on the engine: the worker plan as planned, its steps scripted. A queue flush that
/// fails (no Agent:Queue on the database host) starts the worker again on every host it was stopped on and
/// switches nothing; a run that succeeds skips the way back.
/// </summary>
public sealed class WorkerScenarioWayBackTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public WorkerScenarioWayBackTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private sealed class Scripted<TStep>(Func<PlanStep, bool> succeeds, List<PlanStep> ran) : StepExecutor<TStep>
        where TStep : PlanStep
    {
        public override Task<StepOutcome> ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken)
        {
            ran.Add(step);
            return Task.FromResult(succeeds(step) ? StepOutcome.Success("ok") : StepOutcome.Failure("Agent:Queue is not configured on this host"));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    private async Task<(RunOutcome Outcome, List<PlanStep> Ran)> RunAsync(Func<PlanStep, bool> succeeds)
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        var production = _inventory.FindEnvironment("production")!;
        var plan = await new Planner(fleet).PlanScenarioAsync(production, "worker", (string?)null, _time.GetUtcNow(), TestContext.Current.CancellationToken);
        var ran = new List<PlanStep>();
        IStepExecutor[] executors =
        [
            new Scripted<StopServicesStep>(succeeds, ran), new Scripted<FlushQueueStep>(succeeds, ran), new Scripted<RecreateServicesStep>(succeeds, ran),
            new Scripted<HealthCheckStep>(succeeds, ran), new Scripted<StartServicesStep>(succeeds, ran), new Scripted<SmokeTestStep>(succeeds, ran),
            new Scripted<MonitorStep>(succeeds, ran),
        ];
        using var journal = RunJournal.Create(_dir.Path, RunStore.NewRunId("production", _time));
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "scenario worker") });
        var outcome = await new RunEngine(executors, _time).ExecuteAsync(_inventory, journal, plan, new HashSet<int>(), "test", "", new Quiet(), TestContext.Current.CancellationToken);
        return (outcome, ran);
    }

    [Fact]
    public async Task A_failed_queue_flush_starts_the_worker_again_on_every_host_and_switches_nothing()
    {
        var (outcome, ran) = await RunAsync(step => step is not FlushQueueStep);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.IsType<FlushQueueStep>(outcome.FailedStep);
        Assert.Equal(["services.stop", "services.stop", "queue.flush", "services.start", "services.start"], ran.Select(s => s.Operation));
        Assert.Equal(["prod-1", "prod-2"], ran.OfType<StartServicesStep>().Select(s => s.Host));
        Assert.All(ran.OfType<StartServicesStep>(), s => Assert.Equal(["worker"], s.Services));
        Assert.DoesNotContain(ran, s => s is RecreateServicesStep);
    }

    [Fact]
    public async Task A_run_that_succeeds_leaves_the_worker_on_the_last_good_release_and_skips_the_way_back()
    {
        var (outcome, ran) = await RunAsync(_ => true);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.DoesNotContain(ran, s => s is StartServicesStep);
        Assert.Equal(2, ran.OfType<RecreateServicesStep>().Count());
        Assert.IsType<HealthCheckStep>(ran[^2]);
        Assert.IsType<MonitorStep>(ran[^1]);
    }
}
