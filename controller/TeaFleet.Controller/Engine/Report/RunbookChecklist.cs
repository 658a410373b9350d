using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// The runbook's 12-item "Rollback Checklist" for one run: each item with its state and evidence. The one
/// place that decides what a run proves; the Markdown and HTML renderers only draw the list, so verifying
/// another item by machine is a change here (and in the run that gathers the evidence), not in a renderer.
/// </summary>
public static class RunbookChecklist
{
    /// <param name="run">The run as journaled.</param>
    /// <param name="down">What the hosts had down once the run ended; null: not read.</param>
    public static IReadOnlyList<ChecklistItem> For(RunRecord run, IReadOnlyList<string>? down)
    {
        var plan = run.Plan;
        bool Passed<TStep>()
            where TStep : PlanStep => plan.Steps.OfType<TStep>().Any(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var healthSteps = plan.Steps.OfType<HealthCheckStep>().ToList();
        var healthOk = healthSteps.Count > 0 && healthSteps.All(s => run.Steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var postBackup = plan.Steps.OfType<BackupStep>().Where(s => s.PostRollback)
            .Select(s => run.Steps.GetValueOrDefault(s.Index)).FirstOrDefault(r => r?.Result == StepResult.Succeeded);
        var smokeOk = Passed<SmokeTestStep>();
        var watch = plan.Steps.OfType<MonitorStep>().Where(s => s.Host == PlanStep.ControllerHost).Select(s => run.Steps.GetValueOrDefault(s.Index)).LastOrDefault(r => r is not null);
        return
        [
            Services(run.Result == StepResult.Succeeded, down),
            Item("Health endpoints responding correctly", healthOk, "verified by the controller"),
            Item("Database accessible and consistent", Passed<CheckDatabaseStep>(), "verified by the controller's database check: queries, tables, Alembic head"),
            MonitorChecklist.Errors(watch),
            Item("Users can login", smokeOk, "verified by the smoke test"),
            Item("Critical functionality tested", smokeOk, "verified by the smoke test: read, create and delete a record"),
            MonitorChecklist.ExternalMonitors(watch, healthOk),
            MonitorChecklist.Resources(watch),
            Item("Backup created post-rollback", postBackup is not null, $"backup {postBackup?.Results.BackupId ?? "taken"}, full and verified"),
            .. plan.Kind == PlanKind.Security ? SecurityConfirmations.Select(c => Confirmed(run, c)) : [],
            Confirmed(run, Documented),
            Confirmed(run, Notified),
            Confirmed(run, RootCause),
        ];
    }

    public static readonly ConfirmableItem SecretsRotated = new("secrets-rotated", "Rotate all secrets (update the env file)");
    public static readonly ConfirmableItem Certificates = new("ssl-certificates", "Regenerate SSL certificates if needed");
    public static readonly ConfirmableItem Documented = new("incident-documented", "Incident documented");
    public static readonly ConfirmableItem Notified = new("team-notified", "Team notified");
    public static readonly ConfirmableItem RootCause = new("root-cause-analysis", "Root cause analysis scheduled");

    /// <summary>Runbook scenario 5's "verify security" items only a person can do, on a security run's checklist.</summary>
    public static IReadOnlyList<ConfirmableItem> SecurityConfirmations { get; } = [SecretsRotated, Certificates];

    /// <summary>The items a person confirms with 'teafleet confirm' for this plan: the runbook's last three for every reported run, and scenario 5's own before them.</summary>
    public static IReadOnlyList<ConfirmableItem> Confirmable(Plan plan) =>
        plan.Kind == PlanKind.Security ? [.. SecurityConfirmations, Documented, Notified, RootCause]
        : plan.Procedure.WritesReport ? [Documented, Notified, RootCause]
        : [];

    /// <summary>The confirmable items of the run nobody confirmed yet, in checklist order.</summary>
    public static IReadOnlyList<ConfirmableItem> Open(RunRecord run) =>
        Confirmable(run.Plan).Where(c => run.Confirmations.All(x => x.Key != c.Key)).ToList();

    /// <summary>The exact command that confirms an item of a run.</summary>
    public static string ConfirmCommand(string inventoryOption, string runId, ConfirmableItem item) =>
        $"teafleet {(inventoryOption.Length > 0 ? inventoryOption + " " : "")}confirm {runId} {item.Key} --note \"...\"";

    /// <summary>An item confirmed by a person (who, when, their note), or not done.</summary>
    private static ChecklistItem Confirmed(RunRecord run, ConfirmableItem item) =>
        run.Confirmations.LastOrDefault(c => c.Key == item.Key) is { } c
            ? new(item.Item, ChecklistState.Confirmed, $"by {c.Who} at {c.Time.UtcDateTime:yyyy-MM-dd HH:mm}Z" + (string.IsNullOrWhiteSpace(c.Note) ? "" : $": {c.Note}"))
            : new(item.Item, ChecklistState.NotDone, $"not confirmed yet: teafleet confirm {run.RunId} {item.Key}");

    private static ChecklistItem Item(string item, bool verified, string evidence) =>
        verified ? new(item, ChecklistState.Verified, evidence) : new(item, ChecklistState.NotDone);

    /// <summary>
    /// "All services running and healthy": verified only for a run that succeeded and, when the hosts were read
    /// after it, with nothing down; what is down is named.
    /// </summary>
    private static ChecklistItem Services(bool succeeded, IReadOnlyList<string>? down)
    {
        const string item = "All services running and healthy";
        return down is { Count: > 0 } ? new(item, ChecklistState.NotDone, $"down after the run: {string.Join(", ", down)}")
            : succeeded ? new(item, ChecklistState.Verified, down is null ? "verified by the agents after each recreate" : "verified by the agents after each recreate, and every host's services read after the run")
            : new(item, ChecklistState.NotDone);
    }
}
