using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Tests;

public sealed class JournalTests
{
    [Fact]
    public void A_torn_last_line_is_ignored_and_resume_finds_the_unfinished_steps()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var plan = JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2");
        var runId = RunStore.NewRunId("production", time);
        string path;
        using (var journal = RunJournal.Create(dir.Path, runId))
        {
            path = journal.Path;
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = time.GetUtcNow(), Plan = plan, Who = "alice", Flags = new RunFlags("inv", true, true, "INC-1", null, "rollback") });
            journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = time.GetUtcNow(), Step = 1, Host = "prod-1", Operation = plan.Steps[0].Operation, OperationId = $"{runId}.1.prod-1" });
            journal.Write(new JournalEntry { Type = JournalEntry.Event, Time = time.GetUtcNow(), Step = 1, Host = "prod-1", Sequence = 7, Phase = StepPhase.Progress, Message = "recreate" });
            journal.Write(new JournalEntry { Type = JournalEntry.StepFinished, Time = time.GetUtcNow(), Step = 1, Host = "prod-1", Result = StepResult.Succeeded });
            journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = time.GetUtcNow(), Step = 2, Host = "prod-2", Operation = plan.Steps[1].Operation, OperationId = $"{runId}.2.prod-2" });
            journal.Write(new JournalEntry { Type = JournalEntry.Event, Time = time.GetUtcNow(), Step = 2, Host = "prod-2", Sequence = 3, Phase = StepPhase.Log, Message = "building" });
        }

        File.AppendAllText(path, "{\"type\":\"event\",\"time\":\"2025-");

        var run = new RunStore(dir.Path).Get(runId);

        Assert.True(run.TornLastLine);
        Assert.Null(run.Result);
        Assert.Equal("alice", run.Who);
        Assert.Equal("INC-1", run.Flags.Reason);
        Assert.Equal(7, run.Steps[1].LastSequence);
        Assert.Equal([2], run.UnfinishedSteps.Select(s => s.Index));
        Assert.Equal($"{runId}.2.prod-2", run.Steps[2].OperationId);
        Assert.Equal(OperationIdFor.Step(runId, plan.Steps[1]), run.Steps[2].OperationId);
        Assert.Equal(plan.DrillKey, run.Plan.DrillKey);

        using (var again = RunJournal.Append(path, runId))
        {
            again.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = time.GetUtcNow() });
        }

        Assert.False(new RunStore(dir.Path).Get(runId).TornLastLine);
    }

    [Fact]
    public void Run_ids_carry_the_time_and_environment()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Assert.Matches("^20250102-030405-staging-[0-9a-f]{4}$", RunStore.NewRunId("staging", time));
    }
}
