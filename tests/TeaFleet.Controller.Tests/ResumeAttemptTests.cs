using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// Resume and attempts (issue 11 item 5): a failed or interrupted step is retried as a new attempt with
/// its own operation id; a step the controller left mid-way is re-attached with the same id. The agent
/// is a scripted executor at the engine boundary; what is checked is the operation ids it received and
/// the journal lines the engine wrote. (Against a real agent: the fleet recipe in docs/controller-runs.md.)
/// </summary>
public sealed class ResumeAttemptTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public ResumeAttemptTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private sealed record Call(int Step, string? OperationId, int Attempt, bool Reattach);

    /// <summary>Stands in for the agent: records each call, answers with the script's outcome.</summary>
    private sealed class ScriptedAgent(Func<Call, StepOutcome> script) : StepExecutor<RecreateServicesStep>
    {
        public List<Call> Calls { get; } = [];

        public override Task<StepOutcome> ExecuteAsync(RecreateServicesStep step, StepContext context, CancellationToken cancellationToken)
        {
            var call = new Call(step.Index, context.OperationId, context.Attempt, context.Reattach);
            Calls.Add(call);
            return Task.FromResult(script(call));
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

    private static readonly Plan Production = JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2");

    private string NewRun(Plan plan) => JournalTestData.NewRun(_inventory, _time, plan);

    private RunOutcome Start(string runId, Plan plan, ScriptedAgent agent)
    {
        using var journal = RunJournal.Append(new RunStore(_inventory.RunsDir).PathOf(runId), runId);
        return new RunEngine([agent], _time)
            .ExecuteAsync(_inventory, journal, plan, new HashSet<int>(), "test", "", new Notes(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>What <c>teafleet resume</c> hands the engine (RunDriver.ResumeAsync): done steps, their results, and the journal's steps.</summary>
    private (RunOutcome Outcome, Notes Notes) Resume(string runId, ScriptedAgent agent)
    {
        var run = new RunStore(_inventory.RunsDir).Get(runId);
        var succeeded = run.Steps.Values.Where(s => s.Result == StepResult.Succeeded).ToList();
        var notes = new Notes();
        using var journal = RunJournal.Append(run.Path, run.RunId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = _time.GetUtcNow(), Who = run.Who });
        var outcome = new RunEngine([agent], _time)
            .ExecuteAsync(_inventory, journal, run.Plan, succeeded.Select(s => s.Index).ToHashSet(), run.Who, "", notes, TestContext.Current.CancellationToken,
                succeeded.ToDictionary(s => s.Index, s => s.Results), run.Steps)
            .GetAwaiter().GetResult();
        return (outcome, notes);
    }

    /// <summary>The journal's step_started and step_finished lines after the last run_resumed, as JSON.</summary>
    private List<JsonElement> StepLinesAfterResume(string runId)
    {
        var lines = File.ReadAllLines(new RunStore(_inventory.RunsDir).PathOf(runId)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var resumed = lines.FindLastIndex(l => l.GetProperty("type").GetString() == JournalEntry.RunResumed);
        return lines.Skip(resumed + 1).Where(l => l.GetProperty("type").GetString() is JournalEntry.StepStarted or JournalEntry.StepFinished).ToList();
    }

    private static string Line(JsonElement e) =>
        $"{e.GetProperty("type").GetString()} {e.GetProperty("step").GetInt32()} {(e.TryGetProperty("operation_id", out var id) ? id.GetString() : "-")}"
        + $" attempt={(e.TryGetProperty("attempt", out var a) ? a.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "absent")}"
        + (e.TryGetProperty("result", out var r) ? " " + r.GetString() : "");

    /// <summary>Writes the lines of a run whose step 1 succeeded and whose step 2 started on prod-2 with no end: the controller died mid-step.</summary>
    private void ControllerDiedInStep2(string runId)
    {
        using var journal = RunJournal.Append(new RunStore(_inventory.RunsDir).PathOf(runId), runId);
        journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = _time.GetUtcNow(), Step = 1, Host = "prod-1", Operation = Production.Steps[0].Operation, OperationId = $"{runId}.1.prod-1" });
        journal.Write(new JournalEntry { Type = JournalEntry.StepFinished, Time = _time.GetUtcNow(), Step = 1, Host = "prod-1", Operation = Production.Steps[0].Operation, OperationId = $"{runId}.1.prod-1", Result = StepResult.Succeeded });
        journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = _time.GetUtcNow(), Step = 2, Host = "prod-2", Operation = Production.Steps[1].Operation, OperationId = $"{runId}.2.prod-2" });
        journal.Write(new JournalEntry { Type = JournalEntry.Event, Time = _time.GetUtcNow(), Step = 2, Host = "prod-2", Sequence = 4, Phase = StepPhase.Log, Message = "recreating" });
    }

    [Fact]
    public void Attempt_ids_keep_the_first_attempt_s_id_and_add_aN_from_the_second()
    {
        var step = Production.Steps[1];

        Assert.Equal("r1.2.prod-2", OperationIdFor.Step("r1", step));
        Assert.Equal("r1.2.prod-2", OperationIdFor.Step("r1", step, 1));
        Assert.Equal("r1.2.prod-2.a2", OperationIdFor.Step("r1", step, 2));
        Assert.Equal("r1.2.prod-2.a13", OperationIdFor.Step("r1", step, 13));
        Assert.Throws<InvalidOperationException>(() => OperationIdFor.Step(new string('r', 92), step, 2));
    }

    [Fact]
    public void A_failed_step_is_retried_on_resume_as_attempt_2_with_its_own_operation_id()
    {
        var runId = NewRun(Production);
        var first = new ScriptedAgent(c => c.Step == 2 ? StepOutcome.Failure("recreate failed at step images: no space left") : StepOutcome.Success("ok"));
        Assert.Equal(StepResult.Failed, Start(runId, Production, first).Result);

        var second = new ScriptedAgent(_ => StepOutcome.Success("switched"));
        var (outcome, _) = Resume(runId, second);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([new Call(1, $"{runId}.1.prod-1", 1, false), new Call(2, $"{runId}.2.prod-2", 1, false)], first.Calls);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2.a2", 2, false)], second.Calls);
        Assert.Equal(
            [$"step_started 2 {runId}.2.prod-2.a2 attempt=2", $"step_finished 2 {runId}.2.prod-2.a2 attempt=2 succeeded"],
            StepLinesAfterResume(runId).Select(Line));

        var run = new RunStore(_inventory.RunsDir).Get(runId);
        Assert.Equal(StepResult.Succeeded, run.Result);
        Assert.Empty(run.UnfinishedSteps);
        Assert.Equal(StepResult.Succeeded, run.Steps[2].Result);
        Assert.Equal([(1, StepResult.Failed, $"{runId}.2.prod-2"), (2, StepResult.Succeeded, $"{runId}.2.prod-2.a2")],
            run.Steps[2].Attempts.Select(a => (a.Number, a.Result!.Value, a.OperationId!)));
    }

    [Fact]
    public void Resume_says_which_steps_it_retries_and_which_it_re_attaches()
    {
        var runId = NewRun(Production);
        Start(runId, Production, new ScriptedAgent(c => c.Step == 2 ? StepOutcome.Failure("no space left") : StepOutcome.Success("ok")));
        var run = new RunStore(_inventory.RunsDir).Get(runId);

        var retry = StepResumption.For(run.RunId, Production.Steps[1], run.Steps[2]);

        Assert.Equal(ResumeAction.Retry, retry.Action);
        Assert.Equal($"step 2 on prod-2: retry, attempt 2 (operation {runId}.2.prod-2.a2); the first attempt failed: no space left", retry.Describe());

        var died = NewRun(Production);
        ControllerDiedInStep2(died);
        var reattach = StepResumption.For(died, Production.Steps[1], new RunStore(_inventory.RunsDir).Get(died).Steps[2]);
        Assert.Equal(ResumeAction.Reattach, reattach.Action);
        Assert.StartsWith($"step 2 on prod-2: re-attach to attempt 1 (operation {died}.2.prod-2)", reattach.Describe());
    }

    [Fact]
    public void When_the_controller_died_mid_step_resume_re_attaches_with_the_same_id()
    {
        var runId = NewRun(Production);
        ControllerDiedInStep2(runId);

        var agent = new ScriptedAgent(_ => StepOutcome.Success("switched"));
        var (outcome, notes) = Resume(runId, agent);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2", 1, true)], agent.Calls);
        Assert.Equal(
            [$"step_started 2 {runId}.2.prod-2 attempt=absent", $"step_finished 2 {runId}.2.prod-2 attempt=absent succeeded"],
            StepLinesAfterResume(runId).Select(Line));
        Assert.Empty(notes.Lines);
        var attempts = new RunStore(_inventory.RunsDir).Get(runId).Steps[2].Attempts;
        Assert.Equal(StepResult.Succeeded, Assert.Single(attempts).Result);
    }

    [Theory]
    [InlineData(StepResult.Interrupted, false)]
    [InlineData(StepResult.Failed, true)]
    [InlineData(StepResult.Cancelled, true)]
    public void A_re_attached_operation_that_was_interrupted_or_had_already_ended_gets_a_new_attempt(StepResult answer, bool replayed)
    {
        var runId = NewRun(Production);
        ControllerDiedInStep2(runId);
        const string message = "interrupted: the agent stopped while this operation ran";

        var agent = new ScriptedAgent(c => c.Reattach
            ? new StepOutcome(answer, message, new Dictionary<string, string>(), []) { Replayed = replayed }
            : StepOutcome.Success("switched"));
        var (outcome, notes) = Resume(runId, agent);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2", 1, true), new Call(2, $"{runId}.2.prod-2.a2", 2, false)], agent.Calls);
        Assert.Equal(
            [
                $"step_started 2 {runId}.2.prod-2 attempt=absent",
                $"step_finished 2 {runId}.2.prod-2 attempt=absent {answer.Word()}",
                $"step_started 2 {runId}.2.prod-2.a2 attempt=2",
                $"step_finished 2 {runId}.2.prod-2.a2 attempt=2 succeeded",
            ],
            StepLinesAfterResume(runId).Select(Line));
        var ended = answer == StepResult.Failed ? "failed" : "was " + answer.Word();
        Assert.Equal([$"step 2 on prod-2: retry, attempt 2 (operation {runId}.2.prod-2.a2); the first attempt {ended}: {message}"], notes.Lines);
    }

    [Fact]
    public void A_re_attached_operation_that_fails_live_is_a_failure_of_this_resume_not_a_reason_to_retry()
    {
        var runId = NewRun(Production);
        ControllerDiedInStep2(runId);

        var agent = new ScriptedAgent(_ => StepOutcome.Failure("verify: backend unhealthy"));
        var (outcome, _) = Resume(runId, agent);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2", 1, true)], agent.Calls);
    }

    [Fact]
    public void A_step_the_controller_lost_touch_with_is_re_attached_with_the_same_id_not_retried()
    {
        // The agent was unreachable (or the stream could not be re-attached): the journal says failed, but not
        // the agent's end, which may still come (or have come: success). Resume asks with the same id.
        var runId = NewRun(Production);
        var first = new ScriptedAgent(c => c.Step == 2 ? throw new FleetException(ExitCodes.Unreachable, "prod-2: connection refused") : StepOutcome.Success("ok"));
        Assert.Equal(ExitCodes.Unreachable, Start(runId, Production, first).ExitCode);
        var finished = File.ReadAllLines(new RunStore(_inventory.RunsDir).PathOf(runId)).Single(l => l.Contains("\"step_finished\"", StringComparison.Ordinal) && l.Contains("\"step\":2", StringComparison.Ordinal));
        Assert.Contains("\"unconfirmed\":true", finished, StringComparison.Ordinal);

        var run = new RunStore(_inventory.RunsDir).Get(runId);
        Assert.Equal(StepResult.Failed, run.Steps[2].Result);
        Assert.Equal(ResumeAction.Reattach, StepResumption.For(runId, Production.Steps[1], run.Steps[2]).Action);

        var agent = new ScriptedAgent(_ => StepOutcome.Success("switched"));
        Assert.Equal(StepResult.Succeeded, Resume(runId, agent).Outcome.Result);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2", 1, true)], agent.Calls);
    }

    [Fact]
    public void The_resume_printer_lists_retries_and_re_attaches_in_text_and_json()
    {
        var failed = NewRun(Production);
        Start(failed, Production, new ScriptedAgent(c => c.Step == 2 ? StepOutcome.Failure("no space left") : StepOutcome.Success("ok")));
        var run = new RunStore(_inventory.RunsDir).Get(failed);
        var pending = run.UnfinishedSteps.Select(s => StepResumption.For(run.RunId, s, run.Steps.GetValueOrDefault(s.Index))).ToList();
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        Output.ResumePrinter.Resuming(text.Output, run, pending);
        Output.ResumePrinter.Resuming(json.Output, run, pending);

        Assert.Equal(
            [
                $"Resuming run {failed} (rollback of production); steps to do: 2 prod-2 services.recreate",
                $"  step 2 on prod-2: retry, attempt 2 (operation {failed}.2.prod-2.a2); the first attempt failed: no space left",
            ],
            text.Lines);
        var resume = Assert.Single(json.JsonLines);
        Assert.Equal("resume", resume.GetProperty("type").GetString());
        Assert.Equal([2], resume.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32()));
        var attempt = Assert.Single(resume.GetProperty("attempts").EnumerateArray().ToList());
        Assert.Equal(2, attempt.GetProperty("step").GetInt32());
        Assert.Equal("prod-2", attempt.GetProperty("host").GetString());
        Assert.Equal("retry", attempt.GetProperty("action").GetString());
        Assert.Equal(2, attempt.GetProperty("attempt").GetInt32());
        Assert.Equal($"{failed}.2.prod-2.a2", attempt.GetProperty("operation_id").GetString());
        Assert.Equal("failed", attempt.GetProperty("previous_result").GetString());
        Assert.Equal("no space left", attempt.GetProperty("previous_message").GetString());
    }

    [Fact]
    public void Each_resume_tries_a_failed_step_once_more_with_the_next_attempt_id()
    {
        var runId = NewRun(Production);
        Start(runId, Production, new ScriptedAgent(c => c.Step == 2 ? StepOutcome.Failure("no") : StepOutcome.Success("ok")));

        var second = new ScriptedAgent(_ => StepOutcome.Failure("still no"));
        Assert.Equal(StepResult.Failed, Resume(runId, second).Outcome.Result);
        var third = new ScriptedAgent(_ => StepOutcome.Success("ok"));
        Assert.Equal(StepResult.Succeeded, Resume(runId, third).Outcome.Result);

        Assert.Equal([$"{runId}.2.prod-2.a2"], second.Calls.Select(c => c.OperationId));
        Assert.Equal([$"{runId}.2.prod-2.a3"], third.Calls.Select(c => c.OperationId));
        Assert.Equal([1, 2, 3], new RunStore(_inventory.RunsDir).Get(runId).Steps[2].Attempts.Select(a => a.Number));
    }

    [Fact]
    public void A_journal_written_before_attempts_still_resumes_its_failed_step_as_attempt_2()
    {
        // As the previous version wrote it: no attempt fields, and its resume had sent the same id again (the agent replayed the failure).
        const string runId = "20261130-101500-production-77aa";
        var start = JsonSerializer.Serialize(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), RunId = runId, Plan = Production, Who = "alice", Flags = new RunFlags("inv", true, true, "INC-9", null, "rollback") }, JournalJson.Options);
        string[] lines =
        [
            start,
            $$"""{"type":"step_started","time":"2026-11-30T10:15:01+00:00","run_id":"{{runId}}","step":1,"host":"prod-1","operation":"services.recreate","operation_id":"{{runId}}.1.prod-1"}""",
            $$"""{"type":"step_finished","time":"2026-11-30T10:15:30+00:00","run_id":"{{runId}}","step":1,"host":"prod-1","operation":"services.recreate","operation_id":"{{runId}}.1.prod-1","result":"succeeded","message":"done"}""",
            $$"""{"type":"step_started","time":"2026-11-30T10:15:31+00:00","run_id":"{{runId}}","step":2,"host":"prod-2","operation":"services.recreate","operation_id":"{{runId}}.2.prod-2"}""",
            $$"""{"type":"step_finished","time":"2026-11-30T10:15:50+00:00","run_id":"{{runId}}","step":2,"host":"prod-2","operation":"services.recreate","operation_id":"{{runId}}.2.prod-2","result":"failed","message":"recreate failed at step verify: backend unhealthy"}""",
            $$"""{"type":"run_finished","time":"2026-11-30T10:15:50+00:00","run_id":"{{runId}}","result":"failed","error":"recreate failed at step verify: backend unhealthy"}""",
            $$"""{"type":"run_resumed","time":"2026-11-30T10:20:00+00:00","run_id":"{{runId}}","who":"alice"}""",
            $$"""{"type":"step_started","time":"2026-11-30T10:20:01+00:00","run_id":"{{runId}}","step":2,"host":"prod-2","operation":"services.recreate","operation_id":"{{runId}}.2.prod-2"}""",
            $$"""{"type":"step_finished","time":"2026-11-30T10:20:01+00:00","run_id":"{{runId}}","step":2,"host":"prod-2","operation":"services.recreate","operation_id":"{{runId}}.2.prod-2","result":"failed","message":"recreate failed at step verify: backend unhealthy"}""",
            $$"""{"type":"run_finished","time":"2026-11-30T10:20:01+00:00","run_id":"{{runId}}","result":"failed","error":"recreate failed at step verify: backend unhealthy"}""",
        ];
        Directory.CreateDirectory(_inventory.RunsDir);
        File.WriteAllLines(new RunStore(_inventory.RunsDir).PathOf(runId), lines);

        var before = new RunStore(_inventory.RunsDir).Get(runId);
        Assert.Equal(1, Assert.Single(before.Steps[2].Attempts).Number);
        Assert.Equal(StepResult.Failed, before.Steps[2].Result);

        var agent = new ScriptedAgent(_ => StepOutcome.Success("switched"));
        var (outcome, _) = Resume(runId, agent);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal([new Call(2, $"{runId}.2.prod-2.a2", 2, false)], agent.Calls);
        Assert.Equal(StepResult.Succeeded, new RunStore(_inventory.RunsDir).Get(runId).Result);
    }

    [Fact]
    public void A_run_whose_step_succeeded_in_its_second_attempt_reads_as_succeeded_for_runs_the_report_and_the_drill_gate()
    {
        var staging = JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1");
        var runId = NewRun(staging);
        Start(runId, staging, new ScriptedAgent(_ => StepOutcome.Failure("recreate failed at step images: no space left")));
        _time.Advance(TimeSpan.FromMinutes(2));
        Resume(runId, new ScriptedAgent(_ => StepOutcome.Success("switched")));

        var run = Assert.Single(new RunStore(_inventory.RunsDir).List());
        Assert.Equal(StepResult.Succeeded, run.Result);

        var report = IncidentReport.Render(_inventory, run);
        Assert.Contains($"| 1 (attempt 1) | staging-1 | services.recreate | {runId}.1.staging-1 | 12:00:00 | 12:00:00 | failed | recreate failed at step images: no space left |", report, StringComparison.Ordinal);
        Assert.Contains($"| 1 (attempt 2) | staging-1 | services.recreate | {runId}.1.staging-1.a2 | 12:02:00 | 12:02:00 | succeeded | switched |", report, StringComparison.Ordinal);
        Assert.Contains("- [x] All services running and healthy", report, StringComparison.Ordinal);

        var drill = new DrillGate(_time).Check(_inventory, JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2"),
            new RunStore(_inventory.RunsDir).List(), false, null);
        Assert.True(drill.Allowed, drill.Message);
        Assert.Equal(runId, drill.DrillRunId);
    }
}
