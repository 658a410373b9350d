using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

public static class JournalTestData
{
    /// <summary>A run's journal with only its start (the plan, who, flags), as a controller that died right after it leaves it.</summary>
    public static string NewRun(Inventory.FleetInventory inventory, TimeProvider time, Plan plan)
    {
        var runId = RunStore.NewRunId(plan.Environment, time);
        using var journal = RunJournal.Create(inventory.RunsDir, runId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
        return runId;
    }

    public static Plan RollbackPlan(string environment, string target, IReadOnlyList<string> services, params string[] hosts) =>
        new(
            PlanKind.Rollback,
            RollbackType.CodeOnly,
            environment,
            target,
            [],
            services,
            hosts.ToDictionary(h => h, _ => Samples.C3),
            hosts.Select((h, i) => (PlanStep)new RecreateServicesStep(services, target, PlanKind.Rollback)
            {
                Index = i + 1,
                Host = h,
                Verification = "agent verifies",
                OnFailure = "stop",
            }).ToList());

    /// <summary>Writes a finished run to the journal directory as the engine would.</summary>
    public static string WriteRun(string runsDir, Plan plan, StepResult result, DateTimeOffset started, DateTimeOffset finished)
    {
        var runId = $"{started:yyyyMMdd-HHmmss}-{plan.Environment}-{Guid.NewGuid().ToString("N")[..4]}";
        using var journal = RunJournal.Create(runsDir, runId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = started, Plan = plan, Who = "test", Flags = new RunFlags("teafleet.yaml", true, false, null, null, "rollback") });
        foreach (var step in plan.Steps)
        {
            journal.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = started, Step = step.Index, Host = step.Host, Operation = step.Operation, OperationId = OperationIdFor.Step(runId, step) });
            journal.Write(new JournalEntry { Type = JournalEntry.StepFinished, Time = finished, Step = step.Index, Host = step.Host, Result = result });
        }

        journal.Write(new JournalEntry { Type = JournalEntry.RunFinished, Time = finished, Result = result });
        return runId;
    }
}
