using System.Text;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Writes <c>STATE_DIR/reports/RUN_ID.md</c> from a run's journal: what was switched from and to, the drill
/// run or the reason it was skipped, the timeline, and the runbook's post-rollback checklist with the items
/// a machine verified ticked.
/// </summary>
public static class IncidentReport
{
    /// <param name="down">What the hosts had down once the run ended ("HOST: SERVICE (STATE)"); null: not read.</param>
    public static string Write(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null)
    {
        Directory.CreateDirectory(inventory.ReportsDir);
        var path = Path.Combine(inventory.ReportsDir, run.RunId + ".md");
        File.WriteAllText(path, Render(inventory, run, down));
        return path;
    }

    public static string Render(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null)
    {
        var plan = run.Plan;
        var md = new StringBuilder();
        md.AppendLine($"# Incident report: {plan.Kind.Word()} of {plan.Environment} ({run.RunId})");
        md.AppendLine();
        md.AppendLine($"- App: {inventory.App}");
        md.AppendLine($"- Result: **{run.Result.Word()}**{(run.Error is { } err ? $" ({err})" : "")}");
        md.AppendLine($"- Type: {plan.Procedure.ReportType(plan)}");
        if (plan.SwitchesCode)
        {
            md.AppendLine($"- Target commit: `{plan.TargetCommit}`{(plan.TargetTags.Count > 0 ? $" ({string.Join(", ", plan.TargetTags)})" : "")}");
            md.AppendLine($"- Services: {plan.ServicesText}");
            md.AppendLine("- Previous commits:");
            foreach (var (host, commit) in plan.CurrentCommits.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                md.AppendLine($"  - {host}: `{(commit.Length > 0 ? commit : "(none)")}`");
            }
        }

        if (plan.Note is { Length: > 0 } planNote)
        {
            md.AppendLine($"- Plan: {planNote}");
        }

        md.AppendLine($"- Requested by: {run.Who}");
        if (run.Flags.Reason is { Length: > 0 } reason)
        {
            md.AppendLine($"- Reason: {reason}");
        }

        md.AppendLine($"- Drill: {(run.Flags.DrillRunId is { } drill ? $"staging run {drill}" : run.Flags.SkipDrill ? $"skipped (--skip-drill): {run.Flags.Reason}" : "not required for this environment")}");
        md.AppendLine($"- Started: {run.Started:u}; finished: {(run.Finished is { } f ? f.ToString("u") : "-")}{(run.Finished is { } g ? $" ({(g - run.Started).TotalSeconds:0.0} s)" : "")}");
        if (plan.TypeReason is { Length: > 0 } why)
        {
            md.AppendLine($"- Why this type: {why}");
        }

        md.AppendLine(DataLoss(run));
        md.AppendLine();
        md.AppendLine("## Timeline");
        md.AppendLine();
        md.AppendLine("| Step | Host | Operation | Operation id | Started | Ended | Result | Message |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var step in plan.Steps)
        {
            if (run.Steps.TryGetValue(step.Index, out var r))
            {
                // A step retried after a failed, cancelled or interrupted attempt: a row per earlier attempt, then its latest state.
                var several = r.Attempts.Count > 1;
                foreach (var a in several ? r.Attempts.Take(r.Attempts.Count - 1) : [])
                {
                    md.AppendLine($"| {step.Index} (attempt {a.Number}) | {step.Host} | {step.Operation} | {a.OperationId ?? "-"} | {a.Started:HH:mm:ss} | {(a.Finished is { } ae ? ae.ToString("HH:mm:ss") : "-")} | {a.Result.Word()} | {Cell(a.Message)} |");
                }

                var label = several && r.LastAttempt is { } last ? $"{step.Index} (attempt {last.Number})" : $"{step.Index}";
                md.AppendLine($"| {label} | {step.Host} | {step.Operation} | {r.OperationId ?? "-"} | {r.Started:HH:mm:ss} | {(r.Finished is { } e ? e.ToString("HH:mm:ss") : "-")} | {r.Result.Word()} | {Cell(r.Message)} |");
            }
            else
            {
                md.AppendLine($"| {step.Index} | {step.Host} | {step.Operation} | - | - | - | not run | |");
            }
        }

        var allSucceeded = run.Result == StepResult.Succeeded;
        var healthSteps = plan.Steps.OfType<HealthCheckStep>().ToList();
        var healthOk = healthSteps.Count > 0 && healthSteps.All(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        md.AppendLine();
        md.AppendLine("## Rollback checklist");
        md.AppendLine();
        md.AppendLine(ServicesItem(allSucceeded, down));
        md.AppendLine($"- [{(healthOk ? "x" : " ")}] Health endpoints responding correctly{(healthOk ? " (verified by the controller)" : "")}");
        bool Passed<TStep>() where TStep : PlanStep => plan.Steps.OfType<TStep>().Any(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var databaseOk = Passed<CheckDatabaseStep>();
        var postBackup = plan.Steps.OfType<BackupStep>().Where(s => s.PostRollback)
            .Select(s => run.Steps.GetValueOrDefault(s.Index)).FirstOrDefault(r => r?.Result == StepResult.Succeeded);
        var smokeOk = Passed<SmokeTestStep>();
        foreach (var (item, verified) in new[]
        {
            ("Database accessible and consistent", databaseOk ? " (verified by the controller's database check: queries, tables, Alembic head)" : null),
            ("No error spikes in logs", null),
            ("Users can login", smokeOk ? " (verified by the smoke test)" : null),
            ("Critical functionality tested", smokeOk ? " (verified by the smoke test: read, create and delete a record)" : null),
            ("External monitors showing OK", null), ("Resource usage normal", null),
            ("Backup created post-rollback", postBackup is null ? null : $" (backup {postBackup.Results.BackupId ?? "taken"}, full and verified)"),
            ("Incident documented", null), ("Team notified", null), ("Root cause analysis scheduled", null),
        })
        {
            md.AppendLine($"- [{(verified is null ? " " : "x")}] {item}{verified}");
        }

        if (inventory.Contacts.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Contacts");
            md.AppendLine();
            foreach (var c in inventory.Contacts)
            {
                md.AppendLine($"- {c.Role}: {c.Name} - {c.Phone}");
            }
        }

        md.AppendLine();
        md.AppendLine($"Journal: `{run.Path}`");
        return md.ToString();
    }

    /// <summary>
    /// "All services running and healthy": ticked only for a run that succeeded and, when the hosts were read
    /// after it, with nothing down; what is down is named.
    /// </summary>
    private static string ServicesItem(bool succeeded, IReadOnlyList<string>? down) =>
        down is { Count: > 0 } ? $"- [ ] All services running and healthy: down after the run: {string.Join(", ", down)}"
        : succeeded ? $"- [x] All services running and healthy ({(down is null ? "verified by the agents after each recreate" : "verified by the agents after each recreate, and every host's services read after the run")})"
        : "- [ ] All services running and healthy";

    private static string DataLoss(RunRecord run)
    {
        var plan = run.Plan;
        if (plan.DataLossSince is { } since)
        {
            var end = run.Steps.Values.Where(s => s.Operation == OperationKinds.DatabaseRestore).Select(s => (DateTimeOffset?)s.Started).FirstOrDefault() ?? run.Started;
            return $"- Data loss window: {since:yyyy-MM-dd HH:mm:ss}Z to {end:yyyy-MM-dd HH:mm:ss}Z ({PlanText.DataLossWindow(end - since)}): everything written in it is gone from the database; the safety backup taken before the restore still holds it";
        }

        return plan.Procedure.DataLoss(plan);
    }

    private static string Cell(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var t = text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Trim();
        return t.Length > 120 ? t[..117] + "..." : t;
    }
}
