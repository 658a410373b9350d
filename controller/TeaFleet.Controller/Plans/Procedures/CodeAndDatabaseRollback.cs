using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Type 2 (runbook): first the downgrade chain rendered offline (`alembic downgrade --sql`, nothing
/// changed: a chain that cannot render is refused before anything stops), then stop the traffic as the
/// environment's 'traffic:' says (<see cref="Type2Traffic"/>: stop frontend and backend, block the public
/// ports, or the maintenance page with the backend side stopped),
/// quick backup, migration check, downgrade with the live release's scripts (the fresh backup is the quick
/// backup's journaled id), then the code switch host by host, the database query test, the health URLs and
/// the smoke checks. Its way back, if any of that fails: the pre-downgrade backup is restored (only when
/// the downgrade ran and did not say the database is unchanged) with the switched hosts stopped first, every
/// switched host goes back to the code it ran, and every stopped host is started again: the app serves on
/// the current code with the database at the current code's head. Last, past the way back, the users let back
/// (the block undone one host at a time, or the page taken down) and a full
/// post-rollback backup.
/// </summary>
public sealed class CodeAndDatabaseRollback : RollbackProcedure
{
    public override RollbackType Type => RollbackType.CodeAndDatabase;

    public override string Title => "Type 2 rollback (code + database)";

    protected override string TypeWords => "code + database";

    public override string DataLoss(Plan plan) =>
        "- Data loss: data written into what the reverted migrations added (tables, columns) is dropped; the quick backup taken before the downgrade holds it";

    public static async Task<Plan> BuildAsync(FleetFacts facts, RollbackTarget target, TypeChoice choice, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var status = choice.Status!;
        var dbHost = environment.DatabaseHost.Name;
        var traffic = await Type2Traffic.ReadAsync(facts, cancellationToken).ConfigureAwait(false);
        var steps = new StepList(environment);
        var from = string.Join(",", status.DatabaseHeads);
        var to = string.Join(",", status.TargetHeads);
        var type3 = $"teafleet rollback {environment.Name} --to {target.Tags.FirstOrDefault() ?? PlanText.Short(target.Commit)} --type 3";
        steps.Add(new RenderDowngradeStep(status.DowngradeSteps, to)
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: `alembic downgrade --sql {from}:{to}` renders offline in the live release's image {PlanText.Short(status.CodeCommit)}: every downgrade on the chain ({string.Join(", ", status.DowngradeRevisions)}) compiles; nothing runs against the database",
            OnFailure = $"stop; nothing was changed (no service stopped, no backup, no migration; the database is still at {from}): the live release's scripts cannot revert the chain. Roll back from a backup instead: {type3}",
        });
        var stops = traffic.AddStop(steps, environment, $"Type 2 rollback of {environment.Name} to {target.Tags.FirstOrDefault() ?? PlanText.Short(target.Commit)}");
        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = 0,
            Host = dbHost,
            Verification = "agent: pg_dump complete, fsynced, catalogued with size and sha256 (the fresh backup the downgrade starts from)",
            OnFailure = "stop before any migration; the way back starts the services again. Free space in the backup directory (teafleet backups ENV --prune) and run again",
        });
        var backupStep = steps.Last;
        steps.Add(new CheckMigrationsStep(from)
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: the live release's `alembic current` reads {from} and matches alembic_version",
            OnFailure = "stop before any migration; the way back starts the services again. The database moved since the plan: plan again ('teafleet migrations ENV' shows the state)",
        });
        steps.Add(new DowngradeStep(status.DowngradeSteps, to, backupStep)
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: `alembic downgrade {to}` with the scripts of the live release {PlanText.Short(status.CodeCommit)} (before any checkout) reverts {string.Join(", ", status.DowngradeRevisions)}; alembic_version reads {to} after",
            Destructive = true,
            OnFailure = $"stop; the agent compares alembic_version before and after: unchanged, the way back starts the services on the current code; changed, it restores the quick backup of step {backupStep} first",
        });
        var downgradeStep = steps.Last;
        var firstSwitch = steps.Next;
        // What step 1 stopped is down at the switch: a service that would roll behind a stopped proxy is recreated.
        var changes = facts.ChangesFor(target.Commit).ToDictionary(c => c.Key, c => c.Value.WithStopped(traffic.StoppedOn(environment.Hosts.First(h => h.Name == c.Key))), StringComparer.Ordinal);
        steps.Switch(PlanKind.Rollback, target.Commit, target.Services, noCache: false, changes);
        var switches = steps.Steps.Skip(firstSwitch - 1).OfType<RecreateServicesStep>().ToList();
        traffic.AddStartUnswitched(steps, environment, target.Services);
        steps.DatabaseCheck(to, "stop; the way back restores the quick backup and switches the hosts back to the current code")
            .EnvironmentHealth("stop; the way back restores the quick backup and switches the hosts back to the current code", facts.ChangesFor(target.Commit))
            .SmokeTest("stop with the failing check's answer (data written by the newer release that the old code cannot read?); the way back restores the quick backup and switches the hosts back to the current code");
        var lastForward = steps.Last;
        WayBack(steps, environment.Name, target, status, backupStep, downgradeStep, switches, stops);
        // Past the way back: a failure to let users back does not undo a rollback that passed its checks.
        traffic.AddLetBack(steps, environment);
        steps.PostRollbackBackup();
        steps.Monitor($"report loudly: the rolled-back code and schema did not hold. Read the evidence ('teafleet diagnose {environment.Name}'); the runbook's next move is a Type 3 (restore a backup: 'teafleet rollback {environment.Name} --type 3')", facts.ChangesFor(target.Commit));
        var note = $"Type 2: data written since the reverted migrations ran is lost where it lives in what they add ({string.Join(", ", status.DowngradeRevisions)}); the quick backup of step {backupStep} keeps it. " +
                   $"Step 1 renders the downgrade offline first: a chain that cannot render stops the run before anything changes ({type3} is the way on). " +
                   $"If a step up to {lastForward} fails, the way back leaves the app serving on the current code with the database at its head {from}: " +
                   $"the quick backup of step {backupStep} is restored when the downgrade ran and did not leave the database unchanged (what the old code wrote after the switch is then lost; the restore's safety backup keeps it), " +
                   "switched hosts go back to the code they ran, stopped services start again." +
                   traffic.Note(environment);
        return new Plan(PlanKind.Rollback, RollbackType.CodeAndDatabase, environment.Name, target.Commit, target.Tags, target.Services, target.Current, steps.Steps, note, choice.Reason);
    }

    /// <summary>
    /// The way back (runs only when the run fails, each step only if what it undoes had run): stop the hosts the
    /// switch reached, restore the pre-downgrade backup, switch those hosts back to the code they ran, start
    /// what the run stopped. The database is at the current code's head again and the current code serves.
    /// </summary>
    private static void WayBack(StepList steps, string environment, RollbackTarget target, MigrationStatus status, int backupStep, int downgradeStep,
        IReadOnlyList<RecreateServicesStep> switches, IReadOnlyList<int> stops)
    {
        foreach (var step in switches)
        {
            steps.Add(new StopServicesStep(target.Services)
            {
                Index = 0,
                Host = step.Host,
                Verification = $"agent: only if the run failed at or after step {step.Index}: the services the switch started on the old code are stopped before the database is put back",
                OnFailure = $"report; go on with the way back (teafleet status {environment})",
                RunsIf = StepCondition.UndoesTried(step.Index),
            });
        }

        steps.Add(new RestoreStep("")
        {
            BackupStep = backupStep,
            Index = 0,
            Host = steps.Steps[downgradeStep - 1].Host,
            Verification = $"agent: only if the run failed at or after the downgrade (step {downgradeStep}) and the agent did not report the database unchanged: the quick backup of step {backupStep} restored (safety backup first); the database is at {PlanText.Head(string.Join(",", status.DatabaseHeads))} again",
            Destructive = true,
            OnFailure = $"report: the database is not back at {PlanText.Head(string.Join(",", status.DatabaseHeads))}; restore the quick backup of step {backupStep} by hand (teafleet restore {environment} ID) before anything else",
            RunsIf = StepCondition.UndoesTried(downgradeStep),
        });
        foreach (var step in switches)
        {
            var current = target.Current.GetValueOrDefault(step.Host) is { Length: > 0 } commit ? commit : status.CodeCommit;
            steps.Add(new RecreateServicesStep(target.Services, current, PlanKind.Rollback)
            {
                Index = 0,
                Host = step.Host,
                Verification = $"agent: only if the run failed at or after step {step.Index}: {step.Host} switched back to {PlanText.Short(current)}, the code it ran, which matches the database again",
                OnFailure = $"report which services are down on {step.Host} (teafleet logs {environment} SERVICE --host {step.Host})",
                RunsIf = StepCondition.UndoesTried(step.Index),
            });
        }

        steps.StartAgainOnFailure(stops);
    }

    /// <summary>
    /// After a failed Type 2: what runs now (from the steps' journaled results: did the downgrade change
    /// the database, did the way back restore it and switch the hosts back) and the one command to go on.
    /// </summary>
    public override string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, StepRecord> steps, string runId) =>
        Advice(inventoryOption, plan, failed, steps, runId) + Type2Traffic.StillOut(plan, steps, inventoryOption);

    private string Advice(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, StepRecord> steps, string runId)
    {
        var host = failed?.Host ?? "HOST";
        var render = plan.Steps.OfType<RenderDowngradeStep>().FirstOrDefault();
        var downgrade = plan.Steps.OfType<DowngradeStep>().FirstOrDefault();
        var wayBack = plan.Steps.Where(s => s.Undoes is not null).ToList();
        var label = plan.TargetTags.FirstOrDefault() ?? PlanText.Short(plan.TargetCommit);
        var type3 = $"teafleet {inventoryOption} rollback {plan.Environment} --to {label} --type 3";
        var current = string.Join(", ", plan.CurrentCommits.Values.Distinct(StringComparer.Ordinal).Select(PlanText.Short));
        if (failed is null || render is null || downgrade is null)
        {
            return base.NextMove(inventoryOption, plan, failed, steps, runId);
        }

        if (failed.Index == render.Index)
        {
            return $"nothing was changed: no service was stopped and the database is unchanged; the app still serves on {current}. " +
                   $"The live release's scripts cannot revert the chain (step {render.Index}'s log has Alembic's error). Roll back from a backup instead: '{type3}'.";
        }

        var wayBackFailed = wayBack.Where(s => steps.TryGetValue(s.Index, out var r) && r.Result is StepResult.Failed or StepResult.Interrupted or StepResult.Cancelled).ToList();
        if (wayBackFailed.Count > 0)
        {
            return $"the way back did not finish: step{(wayBackFailed.Count > 1 ? "s" : "")} {string.Join(", ", wayBackFailed.Select(s => $"{s.Index} ({s.Operation} on {s.Host})"))} failed. " +
                   $"See what runs with 'teafleet {inventoryOption} status {plan.Environment}' and 'teafleet {inventoryOption} migrations {plan.Environment}' and bring it back by hand before anything else.";
        }

        var restored = wayBack.OfType<RestoreStep>().Any(s => steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var started = wayBack.Where(s => s is StartServicesStep or RecreateServicesStep).Any(s => steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var database = restored ? $"the database was put back from the pre-downgrade backup (step {downgrade.BackupStep})"
            : failed.Index == downgrade.Index && steps.TryGetValue(failed.Index, out var d) && d.Data?.GetValueOrDefault(OperationResultKeys.Changed) == "false"
                ? d.Data.GetValueOrDefault(OperationResultKeys.Revision) is { Length: > 0 } revision ? $"the database is unchanged (still at {revision})" : "the database is unchanged (no migration ran)"
            : failed.Index < downgrade.Index ? "the database is unchanged (no migration ran)"
            : "the database's state is not known";
        var stoppedAny = plan.Steps.OfType<StopServicesStep>().Any(s => s.Undoes is null && steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded);
        var runs = started ? $"the app serves on the current code {current} again"
            : stoppedAny ? "the services the run stopped are still stopped"
            : "no service was stopped";
        if (failed.Index < downgrade.Index)
        {
            // Stopped, backed up or checked, then failed: nothing migrated; the same run can go on once fixed.
            return $"{runs}; {database}. Fix what step {failed.Index} reports, then continue with 'teafleet {inventoryOption} resume {runId}'.";
        }

        if (failed.Index == downgrade.Index)
        {
            return $"{runs}; {database}. The downgrade cannot run as planned (step {failed.Index}'s log has Alembic's error): roll back from a backup instead: '{type3}'.";
        }

        return $"{runs}; {database}. Read why step {failed.Index} failed ('teafleet {inventoryOption} logs {plan.Environment} SERVICE --host {host}'), fix it, then plan again: 'teafleet {inventoryOption} plan rollback {plan.Environment} --to {label}'.";
    }
}
