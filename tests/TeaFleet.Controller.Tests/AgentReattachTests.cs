using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The executor's side of resume, against a scripted agent served over loopback gRPC: a re-attach asks
/// Operations.Get first, does not send an id the agent already ended without success, and recognises an
/// operation the agent closed as interrupted while it was followed. The engine then starts attempt 2.
/// </summary>
public sealed class AgentReattachTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private ScriptedAgentServer _agent = null!;
    private FleetInventory _inventory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _agent = await ScriptedAgentServer.StartAsync(Ct);
        _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", $"""
            app: sample
            state_dir: state
            environments:
              staging:
                hosts:
                  - name: h1
                    address: http://127.0.0.1:{_agent.Address.Port}
            """));
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        _dir.Dispose();
    }

    private static readonly Plan Plan = JournalTestData.RollbackPlan("staging", Samples.C2, ["backend"], "h1");

    /// <summary>A run whose only step started on h1 and has no end: the controller died mid-step.</summary>
    private string ControllerDiedMidStep()
    {
        var runId = RunStore.NewRunId("staging", _time);
        using var journal = RunJournal.Create(_inventory.RunsDir, runId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = Plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
        journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = _time.GetUtcNow(), Step = 1, Host = "h1", Operation = Plan.Steps[0].Operation, OperationId = $"{runId}.1.h1" });
        return runId;
    }

    private async Task<(RunOutcome Outcome, RunRecord Run)> ResumeAsync(string runId)
    {
        var run = new RunStore(_inventory.RunsDir).Get(runId);
        using var agents = new AgentPool(_inventory, TimeProvider.System);
        RunOutcome outcome;
        using (var journal = RunJournal.Append(run.Path, run.RunId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = _time.GetUtcNow(), Who = run.Who });
            outcome = await RunEngineServices.Build(agents, TimeProvider.System)
                .ExecuteAsync(_inventory, journal, run.Plan, new HashSet<int>(), run.Who, "", new NullObserver(), Ct, null, run.Steps);
        }

        return (outcome, new RunStore(_inventory.RunsDir).Get(runId));
    }

    private void Succeeds(string operationId) => _agent.Streams[operationId] =
    [
        ScriptedAgentServer.Event(operationId, 1, OperationPhase.Started, "services.recreate backend"),
        ScriptedAgentServer.Event(operationId, 2, OperationPhase.Succeeded, "services.recreate succeeded", final: true),
    ];

    [Theory]
    [InlineData(OperationState.Failed, StepResult.Failed)]
    [InlineData(OperationState.Interrupted, StepResult.Interrupted)]
    [InlineData(OperationState.Cancelled, StepResult.Cancelled)]
    public async Task An_operation_the_agent_already_ended_without_success_is_not_sent_again_and_attempt_2_runs(OperationState state, StepResult journaled)
    {
        var runId = ControllerDiedMidStep();
        _agent.States[$"{runId}.1.h1"] = [state];
        Succeeds($"{runId}.1.h1.a2");

        var (outcome, run) = await ResumeAsync(runId);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([$"{runId}.1.h1.a2"], _agent.Recreates);
        Assert.Equal([$"{runId}.1.h1"], _agent.Gets);
        Assert.Equal([(1, journaled), (2, StepResult.Succeeded)], run.Steps[1].Attempts.Select(a => (a.Number, a.Result!.Value)));
    }

    [Fact]
    public async Task An_operation_that_runs_is_re_attached_and_if_the_agent_then_closes_it_as_interrupted_attempt_2_runs()
    {
        var runId = ControllerDiedMidStep();
        var id = $"{runId}.1.h1";
        _agent.States[id] = [OperationState.Running, OperationState.Interrupted];
        _agent.Streams[id] =
        [
            ScriptedAgentServer.Event(id, 1, OperationPhase.Started, "services.recreate backend"),
            ScriptedAgentServer.Event(id, 2, OperationPhase.Failed, "interrupted: the agent stopped while this operation ran", final: true),
        ];
        Succeeds(id + ".a2");

        var (outcome, run) = await ResumeAsync(runId);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([id, id + ".a2"], _agent.Recreates);
        Assert.Equal([(1, StepResult.Interrupted), (2, StepResult.Succeeded)], run.Steps[1].Attempts.Select(a => (a.Number, a.Result!.Value)));
    }

    [Fact]
    public async Task An_operation_that_runs_and_then_fails_for_real_is_the_failure_of_this_resume()
    {
        var runId = ControllerDiedMidStep();
        var id = $"{runId}.1.h1";
        _agent.States[id] = [OperationState.Running, OperationState.Failed];
        _agent.Streams[id] =
        [
            ScriptedAgentServer.Event(id, 1, OperationPhase.Started, "services.recreate backend"),
            ScriptedAgentServer.Event(id, 2, OperationPhase.Failed, "services.recreate failed at step verify: backend unhealthy", final: true),
        ];

        var (outcome, run) = await ResumeAsync(runId);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal([id], _agent.Recreates);
        Assert.Equal(StepResult.Failed, Assert.Single(run.Steps[1].Attempts).Result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(OperationState.Succeeded)]
    public async Task An_operation_the_agent_never_got_or_finished_well_is_sent_again_with_the_same_id(OperationState? state)
    {
        var runId = ControllerDiedMidStep();
        var id = $"{runId}.1.h1";
        if (state is { } known)
        {
            _agent.States[id] = [known];
        }

        Succeeds(id);

        var (outcome, run) = await ResumeAsync(runId);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([id], _agent.Recreates);
        Assert.Equal(StepResult.Succeeded, Assert.Single(run.Steps[1].Attempts).Result);
    }

    private sealed class NullObserver : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }
}
