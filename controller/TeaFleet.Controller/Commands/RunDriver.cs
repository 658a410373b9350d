using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

/// <summary>Starts or resumes a run of a plan: confirmation, journal, engine, progress, report, and the runbook's next move.</summary>
public sealed class RunDriver(FleetInventory inventory, AgentPool agents, TimeProvider timeProvider, CommandOutput output)
{
    /// <summary>Asks for confirmation on gated environments unless --yes; refuses without a terminal.</summary>
    public void Confirm(EnvironmentConfig environment, Plan plan, bool yes)
    {
        if (!environment.IsGated || yes)
        {
            return;
        }

        if (!output.CanPrompt)
        {
            throw FleetException.Refused(
                $"'{environment.Name}' needs a confirmation and there is no interactive terminal to ask on.",
                "Pass --yes to confirm on the command line.");
        }

        var question = plan.SwitchesCode
            ? $"{plan.Kind.Word()} {environment.Name} ({environment.Hosts.Count} host(s)) to {GitRefs.Short(plan.TargetCommit)}, services {plan.ServicesText}. Go ahead?"
            : $"{plan.Note ?? plan.What} in {environment.Name}. Go ahead?";
        if (!output.Console.Confirm(CommandOutput.Esc(question), defaultValue: false))
        {
            throw FleetException.Refused("not confirmed; nothing was changed.");
        }
    }

    /// <summary>The drill gate: refuses (exit 4, with the drill to run) or says why the plan may run on a gated environment.</summary>
    public DrillDecision CheckDrill(EnvironmentConfig environment, Plan plan, bool skipDrill, string? reason)
    {
        var drill = new DrillGate(timeProvider).Check(inventory, plan, new RunStore(inventory.RunsDir).List(), skipDrill, reason);
        if (!drill.Allowed)
        {
            throw FleetException.Refused(drill.Message, drill.Command is null ? null : $"Run the drill first: {drill.Command}");
        }

        if (environment.IsGated)
        {
            output.Line(drill.DrillRunId is not null ? $"[green]{CommandOutput.Esc(drill.Message)}[/]" : $"[yellow]{CommandOutput.Esc(drill.Message)}[/]");
            if (output.IsJson)
            {
                output.Json(new { type = "drill", allowed = true, drill_run_id = drill.DrillRunId, skip_reason = drill.SkipReason, message = drill.Message });
            }
        }

        return drill;
    }

    /// <summary>
    /// What every drill-gated command (rollback, restore, repair) does with its plan: the drill gate,
    /// the confirmation, then the run with its flags journaled.
    /// </summary>
    public async Task<int> GateAndStartAsync(EnvironmentConfig environment, Plan plan, string who, bool yes, bool skipDrill, string? reason, string command, Action<string> setReattachHint, CancellationToken cancellationToken)
    {
        var drill = CheckDrill(environment, plan, skipDrill, reason);
        Confirm(environment, plan, yes);
        var flags = new RunFlags(inventory.Path, yes, skipDrill, reason, drill.DrillRunId, command);
        return await StartAsync(plan, who, flags, setReattachHint, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> StartAsync(Plan plan, string who, RunFlags flags, Action<string> setReattachHint, CancellationToken cancellationToken)
    {
        var runId = RunStore.NewRunId(plan.Environment, timeProvider);
        using var journal = RunJournal.Create(inventory.RunsDir, runId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = timeProvider.GetUtcNow(), Plan = plan, Who = who, Flags = flags });
        return await ExecuteAsync(journal, plan, new HashSet<int>(), who, flags.Reason ?? "", setReattachHint, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ResumeAsync(RunRecord run, Action<string> setReattachHint, CancellationToken cancellationToken)
    {
        var succeeded = run.Steps.Values.Where(s => s.Result == RunResults.Succeeded).ToList();
        using var journal = RunJournal.Append(run.Path, run.RunId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = timeProvider.GetUtcNow(), Who = run.Who });
        return await ExecuteAsync(journal, run.Plan, succeeded.Select(s => s.Index).ToHashSet(), run.Who, run.Flags.Reason ?? "", setReattachHint, cancellationToken,
            succeeded.ToDictionary(s => s.Index, s => s.Results)).ConfigureAwait(false);
    }

    private async Task<int> ExecuteAsync(RunJournal journal, Plan plan, IReadOnlySet<int> done, string who, string reason, Action<string> setReattachHint, CancellationToken cancellationToken,
        IReadOnlyDictionary<int, StepResults>? earlier = null)
    {
        var engine = new RunEngine(
            [
                new RecreateStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new StopServicesStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new StartServicesStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new BackupStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new VerifyStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new PruneStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new RestoreStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new MigrationsCheckStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new MigrationsUpgradeStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new MigrationsDowngradeStepExecutor(agents, new OperationFollower(timeProvider), timeProvider),
                new DatabaseCheckStepExecutor(agents, timeProvider),
                new HealthCheckStepExecutor(new HealthChecker(HealthHttp, timeProvider)),
                new SmokeTestStepExecutor(HealthHttp, timeProvider),
            ],
            timeProvider);
        if (output.IsJson)
        {
            output.Json(new { type = "run_started", run_id = journal.RunId, journal = journal.Path, environment = plan.Environment, kind = plan.Kind.Word(), target_commit = plan.TargetCommit });
        }
        else
        {
            output.Line($"Run [bold]{journal.RunId}[/] (journal {CommandOutput.Esc(journal.Path)})");
        }

        RunOutcome outcome;
        IRunObserver observer;
        var tracker = new ReattachTracker(journal.RunId, setReattachHint);
        if (output.IsLive)
        {
            LiveRunObserver? live = null;
            outcome = await LiveRunObserver.Create(output.Console).StartAsync(async ctx =>
            {
                live = new LiveRunObserver(ctx);
                return await engine.ExecuteAsync(inventory, journal, plan, done, who, reason, tracker.Wrap(live), cancellationToken, earlier).ConfigureAwait(false);
            }).ConfigureAwait(false);
            observer = live!;
        }
        else
        {
            observer = output.IsJson ? new JsonRunObserver(output, journal.RunId) : new PlainRunObserver(output, timeProvider);
            outcome = await engine.ExecuteAsync(inventory, journal, plan, done, who, reason, tracker.Wrap(observer), cancellationToken, earlier).ConfigureAwait(false);
        }

        var run = JournalReader.Read(journal.Path);
        string? report = null;
        // Rollbacks and restores are incidents: they get a report (timeline, data-loss window, checklist).
        if (plan.Kind is PlanKind.Rollback or PlanKind.Restore)
        {
            report = IncidentReport.Write(inventory, run);
        }

        Summarize(plan, outcome, run, report);
        return outcome.ExitCode;
    }

    private void Summarize(Plan plan, RunOutcome outcome, RunRecord run, string? report)
    {
        if (output.IsJson)
        {
            output.Json(new
            {
                type = "run_finished",
                run_id = run.RunId,
                result = outcome.Result,
                exit_code = outcome.ExitCode,
                error = outcome.Error,
                failed_step = outcome.FailedStep?.Index,
                failed_host = outcome.FailedStep?.Host,
                log_lines = outcome.StepOutcome?.LogLines,
                next = outcome.Succeeded ? null : NextMove(plan, outcome, run),
                report,
            });
            return;
        }

        if (outcome.Succeeded)
        {
            output.Line($"[green]{CommandOutput.Esc(plan.What)} in {CommandOutput.Esc(plan.Environment)} succeeded[/] (run {run.RunId}).");
        }
        else
        {
            output.Line($"[red]{plan.Kind.Word()} of {CommandOutput.Esc(plan.Environment)} {CommandOutput.Esc(outcome.Result)}[/] at step {outcome.FailedStep?.Index} on {CommandOutput.Esc(outcome.FailedStep?.Host)}: {CommandOutput.Esc(outcome.Error)}");
            if (outcome.StepOutcome?.LogLines is { Count: > 0 } lines)
            {
                output.Line("[grey]Last log lines of the failing step:[/]");
                foreach (var line in lines)
                {
                    output.Plain("  " + line);
                }
            }

            var done = plan.Steps.Where(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == RunResults.Succeeded).Select(s => $"{s.Index}").ToList();
            output.Line($"Done steps: {(done.Count == 0 ? "none" : string.Join(", ", done))}; not run: {string.Join(", ", plan.Steps.Where(s => !run.Steps.ContainsKey(s.Index)).Select(s => $"{s.Index} ({s.Host})"))}");
            output.Line($"[bold]Next:[/] {CommandOutput.Esc(NextMove(plan, outcome, run))}");
        }

        if (report is not null)
        {
            output.Line($"Incident report: {CommandOutput.Esc(report)}");
        }
    }

    private string NextMove(Plan plan, RunOutcome outcome, RunRecord run)
    {
        var host = outcome.FailedStep?.Host ?? "HOST";
        var inv = $"-i {inventory.Path}";
        if (outcome.ExitCode == ExitCodes.Unreachable)
        {
            return $"the agent on {host} is unreachable; check it (deploy/dev/status.sh in the sandbox), then continue with 'teafleet {inv} resume {run.RunId}'.";
        }

        if (outcome.ExitCode == ExitCodes.HostBusy)
        {
            return $"another operation holds {host}'s lock; wait for it, then continue with 'teafleet {inv} resume {run.RunId}'.";
        }

        return plan.Kind == PlanKind.Rollback
            ? $"check 'teafleet {inv} logs {plan.Environment} SERVICE --host {host}', re-run after fixing (teafleet {inv} resume {run.RunId}), or escalate to a Type 2/3 rollback (ROLLBACK.md)."
            : $"check 'teafleet {inv} logs {plan.Environment} SERVICE --host {host}', then roll back with 'teafleet {inv} rollback {plan.Environment}' or fix and deploy again.";
    }

    private static readonly HttpClient HealthHttp = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) }) { Timeout = TimeSpan.FromSeconds(10) };
}
