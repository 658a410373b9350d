using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Runbook scenario 5, "critical security vulnerability", on top of Type 3: the app stopped and its public
/// ports blocked (kept open to the controller), the evidence collected on every host (Forensics.Collect: env
/// files, logs, containers, ledger, and on the database host the forensic database backup, the fresh backup
/// before the destructive restore), the newest verified full backup from before the incident (--before)
/// restored, the patched code (--patched) switched to, checks and smoke test, traffic back one host at a time,
/// the post-rollback backup. What only a person can do (rotate the secrets, regenerate certificates, document,
/// notify, schedule the root cause analysis) is confirmed afterwards with 'teafleet confirm'.
/// </summary>
public sealed class SecurityScenario : RollbackProcedure
{
    /// <summary>The agent feature (Host.GetInfo) that says it has Forensics.Collect.</summary>
    public const string Feature = "forensics";

    public override PlanKind Kind => PlanKind.Security;

    public override RollbackType Type => RollbackType.FullSystem;

    public override string Title => "Scenario 5: critical security vulnerability (offline, evidence, pre-incident backup, patched code)";

    protected override string TypeWords => "full system";

    public override string What(Plan plan) => $"scenario security to {PlanText.Short(plan.TargetCommit)} (restore and patched code)";

    public override string ReportType(Plan plan) => $"{Title}, Type 3 (full system)";

    public override string DataLoss(Plan plan) => "- Data loss: everything written after the restored backup was taken (the forensic backup keeps it as evidence)";

    /// <summary>
    /// The same scenario on staging to the same commit (what the drill gate compares); staging's own newest
    /// verified backup is restored, so --before is "now" as the shell spells it when the advice is pasted.
    /// </summary>
    public override string DrillCommand(FleetInventory inventory, string staging, Plan plan) =>
        $"teafleet -i {inventory.Path} scenario security {staging} --before \"$(date -u '+%F %H:%M')Z\" --patched {plan.TargetCommit}";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"{Title} in {environment.Name}: the app goes offline on {environment.Hosts.Count} host(s), the database is restored to a backup from before the incident (later data is lost) and the code switched to {PlanText.Short(plan.TargetCommit)}. Go ahead?";

    public override string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, StepRecord> steps, string runId) =>
        new FullSystemRollback().NextMove(inventoryOption, plan, failed, steps, runId) +
        " The evidence collected so far stays in each host's bundle (STATE_DIR/forensics); do not let users back in until the vulnerability is patched.";

    /// <summary>The plan; refused (exit 2, nothing contacted beyond reads) without --before, or with a --patched whose migrations are behind the backup's.</summary>
    public static async Task<Plan> PlanAsync(FleetFacts facts, DateTimeOffset? before, string? patched, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        if (before is null)
        {
            throw MissingBefore(environment.Name);
        }

        // An agent that cannot collect would fail the run after the app was stopped and blocked: refused now.
        foreach (var host in environment.Hosts)
        {
            if (await facts.Reader.GetFeaturesAsync(host, cancellationToken).ConfigureAwait(false) is { } features && !features.Contains(Feature, StringComparer.Ordinal))
            {
                throw FleetException.BadInput(
                    $"the agent on {host.Name} cannot collect forensic evidence (its features: {string.Join(", ", features)}; no '{Feature}'): scenario security would stop after taking the app offline; nothing was changed.",
                    $"Upgrade the agent on {host.Name}, or do it by hand: teafleet block {environment.Name}; teafleet backup {environment.Name} --forensic; teafleet rollback {environment.Name} --type 3 --before TIME.");
            }
        }

        // The pre-incident backup first, then whether the patched code can run on it (its migrations know the backup's head).
        var backup = await BackupSelection.SelectAsync(facts, new RollbackRequest(null, [], 3, before), now, cancellationToken).ConfigureAwait(false);
        if (patched is not null)
        {
            var resolved = await facts.ResolveEverywhereAsync(patched, cancellationToken).ConfigureAwait(false);
            var status = await facts.MigrationsAsync(resolved.Commit, cancellationToken).ConfigureAwait(false);
            if (BackupFit.From(status, patched)?.Misfit(backup) is { } misfit)
            {
                var heads = status is { TargetHeads.Count: > 0 } ? string.Join(",", status.TargetHeads) : "none";
                throw FleetException.BadInput(
                    $"--patched {patched} ({PlanText.Short(resolved.Commit)}, Alembic head {heads}) cannot run on backup {backup.Id} (taken {PlanText.Time(backup.TakenAt.ToDateTimeOffset())}, Alembic head {PlanText.Head(backup.MigrationHead)}): {misfit}. " +
                    "The patched code is behind the restored database; nothing was changed.",
                    $"Patch on top of the code that made {backup.Id} (release {PlanText.Short(backup.ReleaseCommit)}) or later, push it, and plan again: teafleet plan scenario security {environment.Name} --before \"{PlanText.Time(before.Value)}\" --patched REF");
            }
        }

        var request = new RollbackRequest(patched, [], 3, null, backup.Id);
        var collectSteps = new List<int>();
        var plan = await FullSystemRollback.PlanAsync(facts, request, now, steps =>
        {
            foreach (var host in environment.Hosts)
            {
                var isDb = host.Name == environment.DatabaseHost.Name;
                steps.Add(new CollectForensicsStep
                {
                    Index = 0,
                    Host = host.Name,
                    Verification = "agent: runbook \"create forensic backup\": a bundle under the agent's STATE_DIR/forensics (0700, files 0600): the env files copied as they are (never shown), every container's recent logs, the container list, the release ledger" +
                                   (isDb ? ", and a forensic database backup, verified and catalogued (the fresh backup before the restore)" : "") + "; manifest.json with each file's size and sha256",
                    OnFailure = $"stop; nothing was restored: the app stays stopped and blocked. Read the step's message, fix it and resume (teafleet resume RUN): the evidence comes before the restore",
                });
                collectSteps.Add(steps.Last);
            }
        }, cancellationToken).ConfigureAwait(false);

        var dbCollect = plan.Steps.OfType<CollectForensicsStep>().First(s => s.Host == environment.DatabaseHost.Name).Index;
        var steps = plan.Steps.Select(s => s is RestoreStep restore
            ? restore with { Verification = $"agent: backup {backup.Id} verified; the current database is already kept as evidence by step {dbCollect}'s forensic backup, and the agent takes its own safety backup too; restored; tables and Alembic head read back" }
            : s).ToList();
        var takenAt = backup.TakenAt.ToDateTimeOffset();
        var code = patched is null
            ? $"No --patched: the code goes back to {PlanText.Short(plan.TargetCommit)}, the release that matches the backup: THE VULNERABILITY IS STILL IN THAT CODE; deploy the fix before trusting it (teafleet deploy {environment.Name} REF)."
            : $"The code goes to the patched {patched} ({PlanText.Short(plan.TargetCommit)}), not the backup's release.";
        var note = $"Scenario 5: offline (stop, block), then the evidence on every host (steps {string.Join(", ", collectSteps)}), then restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {PlanText.Time(takenAt)}, the newest verified before --before {PlanText.Time(before.Value)}). " +
                   code +
                   $" Data loss window: everything written after {PlanText.Time(takenAt)} ({PlanText.DataLossWindow(now - takenAt)} before planning) is lost from the live database; the forensic backup keeps it as evidence. " +
                   (plan.Note?.Split("the safety backup keeps it.", 2) is [_, var rest] ? rest.Trim() + " " : "") +
                   $"After the run, by hand, then 'teafleet confirm RUN ITEM': {string.Join("; ", RunbookChecklist.SecurityConfirmations.Select(c => $"{c.Item} ({c.Key})"))}.";
        return plan with
        {
            Kind = PlanKind.Security,
            Steps = steps,
            Note = note,
            TypeReason = $"scenario security: --before {PlanText.Time(before.Value)} picks {backup.Id}" + (patched is null ? "" : $"; --patched {patched}"),
        };
    }

    public static FleetException MissingBefore(string environment) =>
        FleetException.BadInput(
            "scenario security needs --before TIME: the time the incident began, so the newest verified backup from before it is restored (TeaFleet does not guess it); nothing was changed.",
            $"teafleet plan scenario security {environment} --before \"YYYY-MM-DD HH:MM\" --patched REF");
}
