using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A realistic report: a Type 2 rollback of production planned by the real planner and run by the real
/// engine (scripted stand-ins for the agents, with step-like durations): the switch on prod-2 fails (no
/// space), the way back restores and switches back; the run is resumed, the switch's attempt 2 succeeds,
/// the environment's health check then fails and the way back runs again. With
/// <c>TEAFLEET_REPORT_EXAMPLE=DIR</c> the report is also written into DIR (docs/report-example.png is a
/// screenshot of it).
/// </summary>
public sealed class ReportExampleTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 2, 47, 5, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(Now);

    public ReportExampleTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory.Replace(
        "  - { role: primary, name: On-call operator, phone: \"+31 6 00000000\" }",
        "  - { role: primary, name: Jane Jansen, phone: \"+31 6 12345678\" }\n  - { role: database expert, name: Piet de Vries, phone: \"+31 6 11111111\" }",
        StringComparison.Ordinal)));

    public void Dispose() => _dir.Dispose();

    private sealed class Scripted(Type stepType, Func<StepContext, StepOutcome> script, FakeTimeProvider time) : IStepExecutor
    {
        public Type StepType => stepType;

        public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
        {
            time.Advance(TimeSpan.FromSeconds(context.Step switch
            {
                RecreateServicesStep => 38,
                BackupStep => 14,
                RestoreStep => 26,
                DowngradeStep => 9,
                StopServicesStep or StartServicesStep => 6,
                RenderDowngradeStep => 3,
                _ => 2,
            }));
            return Task.FromResult(script(context));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }

    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Migrations["prod-1"] = new MigrationStatus
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
        return fleet;
    }

    /// <summary>Writes the example run's journal and returns it as read back.</summary>
    public static RunRecord WriteExample(FleetInventory inventory, FakeTimeProvider time)
    {
        var environment = inventory.FindEnvironment("production")!;
        var plan = new Planner(Fleet()).PlanRollbackAsync(environment, new RollbackRequest(null, []), time.GetUtcNow(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        var failing = plan.Steps.OfType<RecreateServicesStep>().Single(s => s.Host == "prod-2" && s.Undoes is null);
        StepOutcome Script(StepContext c) =>
            c.Step == failing && c.Attempt == 1 ? StepOutcome.Failure("services.recreate failed at step build: no space left on device (/var/lib/docker 98% full); image tea-backend:1111111 not built", ["#12 ERROR: failed to copy files: write /var/lib/docker/tmp: no space left on device"])
            : c.Step is HealthCheckStep { Host: PlanStep.ControllerHost } && c.Step.Undoes is null ? StepOutcome.Failure("http://10.77.0.22/health answered 502 Bad Gateway (<html><head><title>502 Bad Gateway</title></head>...) 5 times in 30 s; http://10.77.0.21/health answered 200 \"ok\"")
            : StepOutcome.Success(c.Step is RecreateServicesStep ? "switched; backend, worker, frontend running healthy" : "ok",
                c.Step is BackupStep ? new Dictionary<string, string> { [OperationResultKeys.BackupId] = $"20261120-{c.Step.Index:00}4800-quick" } : null);
        var executors = plan.Steps.Select(s => s.GetType()).Distinct().Select(t => (IStepExecutor)new Scripted(t, Script, time)).ToList();
        var runId = RunStore.NewRunId("production", time);
        var store = new RunStore(inventory.RunsDir);
        using (var journal = RunJournal.Create(inventory.RunsDir, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = time.GetUtcNow(), Plan = plan, Who = "jane@ops-laptop via teafleet rollback", Flags = new RunFlags("teafleet.yaml", true, false, "INC-42 login returns 500 after v3", "20261120-021502-staging-9c1e", "rollback") });
            new RunEngine(executors, time).ExecuteAsync(inventory, journal, plan, new HashSet<int>(), "jane", "", new Quiet(), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        }

        time.Advance(TimeSpan.FromMinutes(3));
        var first = store.Get(runId);
        var done = first.DoneSteps;
        using (var journal = RunJournal.Append(first.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = time.GetUtcNow(), Who = first.Who });
            new RunEngine(executors, time).ExecuteAsync(inventory, journal, plan, done.Select(s => s.Index).ToHashSet(), "jane", "", new Quiet(), TestContext.Current.CancellationToken,
                done.ToDictionary(s => s.Index, s => s.Results), first.Steps).GetAwaiter().GetResult();
            time.Advance(TimeSpan.FromSeconds(2));
            journal.Write(new JournalEntry { Type = JournalEntry.ServicesRead, Time = time.GetUtcNow(), Down = ["prod-2: worker (exited)"] });
        }

        return store.Get(runId);
    }

    [Fact]
    public void A_type_2_with_a_failed_switch_retried_and_a_failed_health_check_reports_both()
    {
        var run = WriteExample(_inventory, _time);
        var paths = IncidentReport.Write(_inventory, run, directory: Environment.GetEnvironmentVariable("TEAFLEET_REPORT_EXAMPLE") is { Length: > 0 } dir ? dir : null);

        var model = IncidentReportModel.From(_inventory, run);
        Assert.Equal(StepResult.Failed, run.Result);
        Assert.Equal(OperationKinds.HealthCheck, model.Failure!.Operation);
        Assert.Contains(model.Attempts, a => a.Host == "prod-2" && a.Operation == OperationKinds.ServicesRecreate && a.Attempt == 2 && a.Result == StepResult.Succeeded);
        Assert.Contains(model.OtherFailures, a => a.Host == "prod-2" && a.Attempt == 1);
        Assert.Contains("Type 2 (code + database)", File.ReadAllText(paths.Markdown), StringComparison.Ordinal);
        Assert.Contains("Jane Jansen", File.ReadAllText(paths.Html), StringComparison.Ordinal);
    }
}
