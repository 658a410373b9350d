using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>What a run prints around its steps: the header, the live/plain/JSON progress, and the summary with the runbook's next move.</summary>
public static class RunPrinter
{
    public static void Started(CommandOutput output, RunJournal journal, Plan plan)
    {
        if (output.IsJson)
        {
            output.Json(new { type = "run_started", run_id = journal.RunId, journal = journal.Path, environment = plan.Environment, kind = plan.Kind.Word(), target_commit = plan.TargetCommit });
        }
        else
        {
            output.Line($"Run [bold]{journal.RunId}[/] (journal {CommandOutput.Esc(journal.Path)})");
        }
    }

    /// <summary>Runs <paramref name="run"/> with the observer that fits the output: live progress on a terminal, JSON lines, or plain lines.</summary>
    public static async Task<RunOutcome> FollowAsync(CommandOutput output, string runId, TimeProvider timeProvider, Func<IRunObserver, Task<RunOutcome>> run)
    {
        if (output.IsLive)
        {
            LiveRunObserver? live = null;
            var outcome = await LiveRunObserver.Create(output.Console).StartAsync(ctx => run(live = new LiveRunObserver(ctx))).ConfigureAwait(false);
            // The engine's notes (a fallback tried, a step retried as a new attempt) under the progress lines.
            foreach (var note in live?.Notes ?? [])
            {
                output.Line(CommandOutput.Esc(note));
            }

            return outcome;
        }

        return await run(output.IsJson ? new JsonRunObserver(output, runId) : new PlainRunObserver(output, timeProvider)).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's end: what is down, the result, and for a run that failed or stopped the done steps, the next
    /// move and the inventory's contacts (whom to call); then the report's paths; for scenario 5, the items
    /// still to confirm by hand with their 'teafleet confirm' commands.
    /// </summary>
    public static void Finished(CommandOutput output, FleetInventory inventory, Plan plan, RunOutcome outcome, RunRecord run, ReportPaths? report, IReadOnlyList<string>? down = null)
    {
        IReadOnlyList<Contact> contacts = outcome.Succeeded ? [] : inventory.Contacts;
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
                next = outcome.Succeeded ? null : NextMove(inventory, plan, outcome, run),
                down,
                contacts = contacts.Count > 0 ? contacts.Select(c => new { role = c.Role, name = c.Name, phone = c.Phone }) : null,
                report = report?.Markdown,
                report_html = report?.Html,
                open_confirmations = plan.Kind == PlanKind.Security ? OpenConfirmations(inventory, run) : null,
            });
            return;
        }

        if (down is { Count: > 0 })
        {
            output.Line($"[red]Down after the run:[/] {CommandOutput.Esc(string.Join(", ", down))}. Read their logs (teafleet logs {CommandOutput.Esc(plan.Environment)} SERVICE --host HOST); 'teafleet status {CommandOutput.Esc(plan.Environment)}' shows every service.");
        }

        if (outcome.Succeeded)
        {
            output.Line($"[green]{CommandOutput.Esc(plan.What)} in {CommandOutput.Esc(plan.Environment)} succeeded[/] (run {run.RunId}).");
        }
        else
        {
            output.Line($"[red]{plan.Kind.Word()} of {CommandOutput.Esc(plan.Environment)} {CommandOutput.Esc(outcome.Result.Word())}[/] at step {outcome.FailedStep?.Index} on {CommandOutput.Esc(outcome.FailedStep?.Host)}: {CommandOutput.Esc(outcome.Error)}");
            if (outcome.StepOutcome?.LogLines is { Count: > 0 } lines)
            {
                output.Line("[grey]Last log lines of the failing step:[/]");
                foreach (var line in lines)
                {
                    output.Plain("  " + line);
                }
            }

            var done = plan.Steps.Where(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded).Select(s => $"{s.Index}").ToList();
            output.Line($"Done steps: {(done.Count == 0 ? "none" : string.Join(", ", done))}; not run: {string.Join(", ", plan.Steps.Where(s => !run.Steps.ContainsKey(s.Index)).Select(s => $"{s.Index} ({s.Host})"))}");
            output.Line($"[bold]Next:[/] {CommandOutput.Esc(NextMove(inventory, plan, outcome, run))}");
            if (contacts.Count > 0)
            {
                output.Line("[bold]Contacts:[/]");
                foreach (var c in contacts)
                {
                    output.Line($"  {CommandOutput.Esc(c.Role)}: {CommandOutput.Esc(c.Name)}, {CommandOutput.Esc(c.Phone)}");
                }
            }
        }

        if (report is not null)
        {
            output.Line($"Incident report: {CommandOutput.Esc(report.Markdown)}");
            output.Line($"Incident report (HTML): {CommandOutput.Esc(report.Html)}");
        }

        // Scenario 5 ends with work only a person can do (rotate the secrets...): say so at the run's end. Every
        // reported run's items are listed by 'teafleet report' and 'teafleet confirm RUN_ID'.
        if (plan.Kind == PlanKind.Security)
        {
            PrintOpenConfirmations(output, inventory, run);
        }
    }

    /// <summary>The checklist items of the run only a person can close and nobody confirmed yet, each with the command that confirms it (null: none).</summary>
    public static IReadOnlyList<object>? OpenConfirmations(FleetInventory inventory, RunRecord run)
    {
        var open = RunbookChecklist.Open(run);
        return open.Count == 0 ? null : open.Select(c => (object)new { item = c.Key, text = c.Item, command = RunbookChecklist.ConfirmCommand($"-i {inventory.Path}", run.RunId, c) }).ToList();
    }

    /// <summary>"To confirm by hand:" and one line per open item with its 'teafleet confirm' command; nothing when none is open.</summary>
    public static void PrintOpenConfirmations(CommandOutput output, FleetInventory inventory, RunRecord run)
    {
        var open = RunbookChecklist.Open(run);
        if (open.Count == 0)
        {
            return;
        }

        output.Line("[bold]To confirm by hand[/] (the report's checklist shows them as not done until then):");
        foreach (var item in open)
        {
            output.Line($"  {CommandOutput.Esc(item.Item)}: {CommandOutput.Esc(RunbookChecklist.ConfirmCommand($"-i {inventory.Path}", run.RunId, item))}");
        }
    }

    /// <summary>The runbook's next move after a failed run.</summary>
    public static string NextMove(FleetInventory inventory, Plan plan, RunOutcome outcome, RunRecord run)
    {
        var host = outcome.FailedStep?.Host ?? "HOST";
        var inv = $"-i {inventory.Path}";
        if (outcome is { Result: StepResult.Interrupted, StepOutcome: null, FailedStep: { } next })
        {
            return $"the run stopped before step {next.Index}: {outcome.Error} Check 'teafleet {inv} status {plan.Environment}', then continue with 'teafleet {inv} resume {run.RunId}'.";
        }

        if (outcome.ExitCode == ExitCodes.Unreachable)
        {
            return $"the agent on {host} is unreachable; check it (deploy/dev/status.sh in the sandbox), then continue with 'teafleet {inv} resume {run.RunId}'.";
        }

        if (outcome.ExitCode == ExitCodes.HostBusy)
        {
            return $"another operation holds {host}'s lock; wait for it, then continue with 'teafleet {inv} resume {run.RunId}'.";
        }

        if (outcome.FailedStep is MonitorStep watch)
        {
            return $"{watch.OnFailure}. Every step before the watch is done; after a fix, 'teafleet {inv} resume {run.RunId}' watches again.";
        }

        return plan.Procedure.NextMove(inv, plan, outcome.FailedStep, run.Steps, run.RunId);
    }
}
