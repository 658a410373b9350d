using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A restore of one catalogued backup on the environment's database host: the services that use the
/// database are stopped on every host first (no write lands in a half-restored database); the agent
/// verifies the backup, takes and verifies a safety backup, empties the database, restores and checks;
/// then the services start again and the environment's health URLs answer. If anything fails after a
/// stop, the way back starts the stopped services again. Refuses an unknown id, a path, a backup
/// that failed verification, or one whose Alembic head is not the live code's (a Type 3 restores that with its code).
/// </summary>
public sealed class RestoreProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Restore;

    public override bool NeedsDrill => true;

    public override bool WritesReport => true;

    public override string What(Plan plan) => "restore of a database backup";

    public override string DrillCommand(FleetInventory inventory, string staging, Plan plan) =>
        $"teafleet -i {inventory.Path} backups {staging}   # then: teafleet -i {inventory.Path} restore {staging} BACKUP_ID";

    public override string DataLoss(Plan plan) =>
        "- Data loss: everything written after the backup was taken (see the plan's data loss window above); the safety backup taken before the restore still holds it";

    public static async Task<Plan> PlanAsync(FleetFacts facts, string backupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var backup = await facts.BackupAsync(backupId, cancellationToken).ConfigureAwait(false);
        await CheckFitsLiveCodeAsync(facts, backup, cancellationToken).ConfigureAwait(false);
        var takenAt = backup.TakenAt.ToDateTimeOffset();
        var steps = new StepList(environment);
        var firstStop = steps.Next;
        steps.Stop([], "stop the services that use the database, so that no write lands in a half-restored database and none is acknowledged and then lost",
            "stop; nothing was restored; the way back starts the services already stopped");
        var stops = Enumerable.Range(firstStop, steps.Last - firstStop + 1).ToList();
        steps.Add(new RestoreStep(backup.Id)
        {
            Index = 0,
            Host = environment.DatabaseHost.Name,
            Verification = "agent: backup verified; safety backup of the current database taken and verified first; restored; tables and Alembic head read back",
            Destructive = true,
            OnFailure = "stop; the agent put the safety backup back (its id is in the step's result), and the way back starts the services again on it",
        });
        steps.Start([], "the services stopped for the restore started again on the restored database",
            host => $"stop and report; the way back tries once more. Read the logs (teafleet logs {environment.Name} SERVICE --host {host.Name}): the app may need the code of the backup's release (its release is in the plan's note)");
        steps.EnvironmentHealth("stop and report; the app may need the code of the backup's release (its release is in the plan's note)");
        steps.SmokeTest("stop and report with the failing check's answer: the restored data and the running code may not fit (the backup's release is in the plan's note)");
        steps.StartAgainOnFailure(stops);
        var note = $"restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {takenAt:yyyy-MM-dd HH:mm:ss}Z" +
                   (backup.ReleaseCommit.Length > 0 ? $", release {PlanText.Short(backup.ReleaseCommit)}" : "") +
                   (backup.MigrationHead.Length > 0 ? $", Alembic head {backup.MigrationHead}" : "") +
                   $"). Data loss window: everything written after {takenAt:yyyy-MM-dd HH:mm:ss}Z ({PlanText.DataLossWindow(now - takenAt)}) is lost.";
        return new Plan(PlanKind.Restore, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps.Steps, note);
    }

    /// <summary>
    /// A restore keeps the code that runs: a backup whose Alembic head is not the live code's head would leave
    /// that code on a schema it was not written for (a backup of an older release under newer code: its queries
    /// fail on what is missing). Refused before anything changes, with the Type 3 that restores it together with
    /// the code of its release. Not checked when either head is unknown (also when the agent cannot read the database).
    /// </summary>
    private static async Task CheckFitsLiveCodeAsync(FleetFacts facts, Backup backup, CancellationToken cancellationToken)
    {
        MigrationStatus? status;
        try
        {
            status = await facts.MigrationsAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException) when (!cancellationToken.IsCancellationRequested)
        {
            // A database the agent cannot read is what a restore is for: unknown, not checked.
            return;
        }

        var heads = backup.MigrationHead.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
        if (status is null || status.CodeHeads.Count == 0 || heads.Count == 0 || heads.SequenceEqual(status.CodeHeads.Order(StringComparer.Ordinal)))
        {
            return;
        }

        var environment = facts.Environment.Name;
        var to = backup.ReleaseCommit.Length > 0 ? $" --to {PlanText.Short(backup.ReleaseCommit)}" : "";
        throw FleetException.BadInput(
            $"backup {backup.Id} holds Alembic head {backup.MigrationHead}, but the live code {PlanText.Short(status.CodeCommit)} on {status.Host} has head {string.Join(",", status.CodeHeads)}: " +
            "restored under that code, the app would run on a schema it was not written for; nothing was changed.",
            $"Restore it together with the code of its release (a Type 3): teafleet rollback {environment} --type 3 --backup {backup.Id}{to}. Or restore a backup taken at head {string.Join(",", status.CodeHeads)} (teafleet backups {environment}).");
    }
}
