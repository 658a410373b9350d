using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// An incident report as data, built once from a run's journal and the inventory (<see cref="From"/>) and
/// drawn by <see cref="MarkdownReport"/> and <see cref="HtmlReport"/>: what was done, what failed and when
/// it was detected, the actions taken (every attempt), the current status, the data-loss window, the
/// drill, the runbook's checklist and whom to call. The renderers compute nothing of their own.
/// </summary>
public sealed record IncidentReportModel
{
    public required string RunId { get; init; }

    public required string App { get; init; }

    /// <summary>"rollback of production (RUN_ID)".</summary>
    public required string Title { get; init; }

    public required string Kind { get; init; }

    public required string Environment { get; init; }

    /// <summary>The runbook type line: "Type 2 (code + database)", "restore of a database backup".</summary>
    public required string Type { get; init; }

    /// <summary>Whether the run switched code: target, services and previous commits mean something.</summary>
    public required bool SwitchesCode { get; init; }

    public required string TargetCommit { get; init; }

    public required IReadOnlyList<string> TargetTags { get; init; }

    public required string Services { get; init; }

    /// <summary>What each host ran before (host, commit; empty commit: none), by host name.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> PreviousCommits { get; init; }

    public string? PlanNote { get; init; }

    public required string Who { get; init; }

    public string? Reason { get; init; }

    /// <summary>The drill: "staging run RUN", "skipped (--skip-drill): REASON" or "not required for this environment".</summary>
    public required string Drill { get; init; }

    public string? DrillRunId { get; init; }

    public string? TypeReason { get; init; }

    public required DateTimeOffset Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    /// <summary>The end of the timeline: the run's end, else the journal's last record.</summary>
    public required DateTimeOffset TimelineEnd { get; init; }

    public StepResult? Result { get; init; }

    public required string ResultWord { get; init; }

    public string? Error { get; init; }

    /// <summary>What failed and when it was detected; null for a run that succeeded.</summary>
    public ReportFailure? Failure { get; init; }

    /// <summary>Attempts that went wrong besides <see cref="Failure"/> (retried ones, a way back that failed too), oldest first.</summary>
    public required IReadOnlyList<ReportAttempt> OtherFailures { get; init; }

    /// <summary>The timeline: every attempt of every step in plan order, skipped steps and steps not run.</summary>
    public required IReadOnlyList<ReportAttempt> Attempts { get; init; }

    /// <summary>What was down on the hosts after the run ("HOST: SERVICE (STATE)"); null: not read.</summary>
    public IReadOnlyList<string>? Down { get; init; }

    /// <summary>What was down after the run, in words: the list, "nothing", or "not read after the run".</summary>
    public string DownText => Down is null ? "not read after the run" : Down.Count == 0 ? "nothing" : string.Join(", ", Down);

    /// <summary>The plan's steps that never ran, as "STEP (HOST)".</summary>
    public IReadOnlyList<string> NotRun => Attempts.Where(a => !a.Ran).Select(a => $"{a.Step} ({a.Host})").ToList();

    /// <summary>The data-loss line: "Data loss window: ... " or "Data loss: none expected (...)".</summary>
    public required string DataLoss { get; init; }

    public required IReadOnlyList<ChecklistItem> Checklist { get; init; }

    public required IReadOnlyList<Contact> Contacts { get; init; }

    /// <summary>The evidence a forensic collect kept (scenario 5): per host, the bundle and its manifest, and the forensic backup; empty when none.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    public required string JournalPath { get; init; }

    public bool Succeeded => Result == StepResult.Succeeded;

    /// <summary>The timeline's lanes: each host in the order its first step comes in the plan, the controller's steps last.</summary>
    public IReadOnlyList<string> Lanes =>
        Attempts.Select(a => a.Host).Distinct(StringComparer.Ordinal)
            .OrderBy(h => h == PlanStep.ControllerHost ? 1 : 0).ToList();

    /// <param name="inventory">The inventory (app name, contacts).</param>
    /// <param name="run">The run as read from its journal.</param>
    /// <param name="down">What the hosts had down after the run; null: what the journal says (<see cref="RunRecord.Down"/>).</param>
    public static IncidentReportModel From(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null)
    {
        var plan = run.Plan;
        down ??= run.Down;
        var attempts = AttemptsOf(run);
        var end = run.Finished ?? (run.Entries.Count > 0 ? run.Entries.Max(e => e.Time) : run.Started);
        var failure = run.Result == StepResult.Succeeded ? null : FailureOf(run, attempts, end);
        var failedRow = failure is null ? null : attempts.FirstOrDefault(a => a.Step == failure.Step && a.Attempt == failure.Attempt && a.WentWrong);
        return new IncidentReportModel
        {
            RunId = run.RunId,
            App = inventory.App,
            Title = $"{plan.Kind.Word()} of {plan.Environment} ({run.RunId})",
            Kind = plan.Kind.Word(),
            Environment = plan.Environment,
            Type = plan.Procedure.ReportType(plan),
            SwitchesCode = plan.SwitchesCode,
            TargetCommit = plan.TargetCommit,
            TargetTags = plan.TargetTags,
            Services = plan.ServicesText,
            PreviousCommits = plan.CurrentCommits.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(),
            PlanNote = plan.Note is { Length: > 0 } note ? note : null,
            Who = run.Who,
            Reason = run.Flags.Reason is { Length: > 0 } reason ? reason : null,
            Drill = run.Flags.DrillRunId is { } drill ? $"staging run {drill}"
                : run.Flags.SkipDrill ? $"skipped (--skip-drill): {run.Flags.Reason}"
                : "not required for this environment",
            DrillRunId = run.Flags.DrillRunId,
            TypeReason = plan.TypeReason is { Length: > 0 } why ? why : null,
            Started = run.Started,
            Finished = run.Finished,
            TimelineEnd = end,
            Result = run.Result,
            ResultWord = run.Result.Word(),
            Error = run.Error,
            Failure = failure,
            OtherFailures = attempts.Where(a => a.WentWrong && !ReferenceEquals(a, failedRow)).OrderBy(a => a.Finished ?? end).ToList(),
            Attempts = attempts,
            Down = down,
            DataLoss = DataLossOf(run),
            Checklist = RunbookChecklist.For(run, down),
            Contacts = inventory.Contacts,
            Evidence = EvidenceOf(run),
            JournalPath = run.Path,
        };
    }

    /// <summary>"HOST: bundle PATH (N files, manifest sha256 X), forensic backup ID" for each forensic collect that succeeded.</summary>
    private static List<string> EvidenceOf(RunRecord run) =>
        run.Plan.Steps.OfType<CollectForensicsStep>()
            .Select(s => run.Steps.GetValueOrDefault(s.Index))
            .Where(r => r is { Result: StepResult.Succeeded, Data: not null } && r.Data.ContainsKey(OperationResultKeys.BundlePath))
            .Select(r => $"{r!.Host}: bundle {r.Data![OperationResultKeys.BundlePath]} ({r.Data.GetValueOrDefault(OperationResultKeys.FileCount, "?")} files, manifest sha256 {r.Data.GetValueOrDefault(OperationResultKeys.ManifestSha256, "?")})" +
                         (r.Data.TryGetValue(OperationResultKeys.BackupId, out var backup) ? $", forensic backup {backup}" : ""))
            .ToList();

    /// <summary>One row per attempt (the last from the step's latest state), a row for a skipped step, and one for each step not run.</summary>
    private static List<ReportAttempt> AttemptsOf(RunRecord run)
    {
        var rows = new List<ReportAttempt>();
        foreach (var step in run.Plan.Steps)
        {
            var wayBack = step.Undoes is not null;
            if (!run.Steps.TryGetValue(step.Index, out var r))
            {
                rows.Add(new ReportAttempt(step.Index, null, step.Host, step.Operation, null, null, null, null, null, false, wayBack));
                continue;
            }

            var several = r.Attempts.Count > 1;
            foreach (var a in several ? r.Attempts.Take(r.Attempts.Count - 1) : [])
            {
                rows.Add(new ReportAttempt(step.Index, a.Number, step.Host, step.Operation, a.OperationId, a.Started, a.Finished, a.Result, a.Message, true, wayBack));
            }

            rows.Add(new ReportAttempt(step.Index, several ? r.LastAttempt?.Number : null, step.Host, step.Operation, r.OperationId, r.Started, r.Finished, r.Result, r.Message, true, wayBack));
        }

        return rows;
    }

    /// <summary>
    /// Among each step's latest attempt (an attempt retried since is not what the run failed on), the first
    /// that went wrong by the time it ended (a forward step's failure comes before its way back's); else the
    /// step left open, or the run itself (stopped between steps, or no end in the journal).
    /// </summary>
    private static ReportFailure FailureOf(RunRecord run, List<ReportAttempt> attempts, DateTimeOffset end)
    {
        var latest = attempts.GroupBy(a => a.Step).Select(g => g.Last());
        if (latest.Where(a => a.WentWrong).OrderBy(a => a.Finished ?? end).ThenBy(a => a.Step).FirstOrDefault() is { } bad)
        {
            return new ReportFailure(bad.Step, bad.Attempt, bad.Host, bad.Operation, bad.Finished ?? end, bad.ResultWord, bad.Message ?? run.Error ?? "");
        }

        var why = run.Error ?? (run.HasEnded ? $"the run {run.Result.Word()}" : "the journal has no end for this run: the controller stopped mid-run (or is still running it)");
        return attempts.FirstOrDefault(a => a.Ran && a.Finished is null) is { } open
            ? new ReportFailure(open.Step, open.Attempt, open.Host, open.Operation, end, open.ResultWord, why)
            : new ReportFailure(null, null, PlanStep.ControllerHost, "", end, run.Result.Word(), why);
    }

    private static string DataLossOf(RunRecord run)
    {
        var plan = run.Plan;
        if (plan.DataLossSince is { } since)
        {
            var end = run.Steps.Values.Where(s => s.Operation == OperationKinds.DatabaseRestore).Select(s => (DateTimeOffset?)s.Started).FirstOrDefault() ?? run.Started;
            return $"Data loss window: {since:yyyy-MM-dd HH:mm:ss}Z to {end:yyyy-MM-dd HH:mm:ss}Z ({PlanText.DataLossWindow(end - since)}): everything written in it is gone from the database; the safety backup taken before the restore still holds it";
        }

        var line = plan.Procedure.DataLoss(plan);
        return line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line;
    }
}
