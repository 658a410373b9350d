using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Type 2 (runbook): stop frontend and backend, quick backup, migration check, downgrade with the live
/// release's scripts (the fresh backup is the quick backup's journaled id), then the code switch host
/// by host, the database query test, the health URLs and a full post-rollback backup.
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
        var stop = await facts.TrafficServicesAsync(cancellationToken).ConfigureAwait(false);
        var steps = new StepList(environment);
        steps.Stop(stop, $"stop {PlanText.Traffic(stop)} (runbook Type 2 step 1, option A: no traffic reaches the app while its schema changes)",
            $"stop; start them again with 'teafleet rollback {environment.Name} --to {PlanText.Short(status.CodeCommit)}' if you give up");
        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = 0,
            Host = dbHost,
            Verification = "agent: pg_dump complete, fsynced, catalogued with size and sha256 (the fresh backup the downgrade starts from)",
            OnFailure = "stop before any migration; free space in the backup directory (teafleet backups ENV --prune) and run again",
        });
        var backupStep = steps.Last;
        var from = string.Join(",", status.DatabaseHeads);
        var to = string.Join(",", status.TargetHeads);
        steps.Add(new CheckMigrationsStep(from)
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: the live release's `alembic current` reads {from} and matches alembic_version",
            OnFailure = "stop before any migration; the database moved since the plan: plan again ('teafleet migrations ENV' shows the state)",
        });
        steps.Add(new DowngradeStep(status.DowngradeSteps, to, backupStep)
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: `alembic downgrade {to}` with the scripts of the live release {PlanText.Short(status.CodeCommit)} (before any checkout) reverts {string.Join(", ", status.DowngradeRevisions)}; alembic_version reads {to} after",
            Destructive = true,
            OnFailure = $"stop; the database may be half-way: run 'teafleet repair migration-failed {environment.Name}', or restore the quick backup of step {backupStep} (teafleet restore {environment.Name} ID)",
        });
        steps.Switch(PlanKind.Rollback, target.Commit, target.Services, noCache: false, facts.ChangesFor(target.Commit))
            .DatabaseCheck(to, "stop and report; the app runs the old code: check its logs and the database ('teafleet migrations ENV')")
            .EnvironmentHealth("stop and report; check the services' logs", facts.ChangesFor(target.Commit))
            .SmokeTest("stop and report with the failing check's answer: the app answers but does not work (data written by the newer release that the old code cannot read?); roll forward or restore")
            .PostRollbackBackup();
        var note = $"Type 2: data written since the reverted migrations ran is lost where it lives in what they add ({string.Join(", ", status.DowngradeRevisions)}); the quick backup of step {backupStep} keeps it. " +
                   "Blocking traffic with the firewall (runbook option B) comes with the firewall service; this plan stops frontend and backend instead (option A).";
        return new Plan(PlanKind.Rollback, RollbackType.CodeAndDatabase, environment.Name, target.Commit, target.Tags, target.Services, target.Current, steps.Steps, note, choice.Reason);
    }
}
