using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Runbook scenario 2, "database migration failed mid-way": when the database is behind the live
/// code's head (its upgrade failed), at a revision the live code does not know, or the agent's last
/// upgrade failed: stop the traffic services, a fresh backup, then complete the migration (upgrade
/// head); only if that fails, downgrade one; only if that fails too, restore the newest verified
/// backup. Then the query test, and the services started again only after a completed migration.
/// At the head of the last release that succeeded, no revision is ever downgraded: with the schema as the
/// reference backup at that head holds it (a transactional upgrade that failed and applied nothing) nothing
/// is planned and the note names the rollback; with objects beyond it (a migration that committed part of
/// its work), option B drops those (as repair leftovers does) instead of downgrading.
/// </summary>
public sealed class MigrationRepairProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Repair;

    public override bool NeedsDrill => true;

    public override string What(Plan plan) => "repair of a migration that failed half-way (runbook scenario 2)";

    public override string DrillCommand(FleetInventory inventory, string staging, Plan plan) => $"teafleet -i {inventory.Path} repair migration-failed {staging}";

    public override string DataLoss(Plan plan) =>
        "- Data loss: none if the migration was completed; a downgrade drops what the reverted revision held; a restore loses what was written after its backup (see the plan)";

    public static async Task<Plan> PlanAsync(FleetFacts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var dbHost = environment.DatabaseHost;
        var status = await facts.MigrationsAsync(null, cancellationToken).ConfigureAwait(false)
            ?? throw FleetException.BadInput($"{dbHost.Name} runs no migrations (Agent:Migrations is not configured there); there is nothing TeaFleet can repair.",
                "Configure Agent:Migrations on the environment's database host.");
        var db = string.Join(",", status.DatabaseHeads);
        var current = new Dictionary<string, string>(StringComparer.Ordinal) { [dbHost.Name] = status.CodeCommit };
        var halfApplied = status.State is MigrationState.Behind or MigrationState.UnknownRevision || (status.LastUpgradeFailed && status.State != MigrationState.UpToDate);
        var detected = $"{status.Detail}" + (status.LastUpgradeFailed ? $"; the last upgrade on {dbHost.Name} failed ({status.LastUpgradeOperationId}: {status.LastUpgradeMessage})" : "");
        if (!halfApplied)
        {
            return new Plan(PlanKind.Repair, RollbackType.None, environment.Name, status.CodeCommit, [], [], current, [],
                $"nothing to repair: {detected}.", "no half-applied migration detected");
        }

        // At the head of the last release that succeeded here, "downgrade one" would revert a revision that
        // had been applied before the failure: never. What the failed upgrade may have left is then what the
        // schema has beyond the reference at that head (a migration that committed a table, then failed).
        var atLastGood = status.LastGoodHead.Length > 0 && db == status.LastGoodHead;
        var leftovers = atLastGood ? await facts.LeftoversAsync(null, cancellationToken).ConfigureAwait(false) : null;
        var release = status.LastGoodCommit.Length > 0 ? PlanText.Short(status.LastGoodCommit) : "the last good release";
        if (atLastGood && leftovers is { Compared: true, Differences.Count: 0 })
        {
            // The failed upgrade ran in one transaction and applied nothing: nothing to complete or revert.
            return new Plan(PlanKind.Repair, RollbackType.None, environment.Name, status.CodeCommit, [], [], current, [],
                $"nothing half-applied: {detected}. The database is at {db}, the head of the last release that succeeded on {dbHost.Name} ({release}), with the schema it had there (against {LeftoverText.Reference(leftovers)}): the failed upgrade changed nothing, and no revision at or below {db} is ever reverted by a repair. " +
                $"The live code {PlanText.Short(status.CodeCommit)} expects {string.Join(",", status.CodeHeads)}: bring the previous release back ('teafleet rollback {environment.Name}'), or fix what the migration's error names and deploy again.",
                "the failed upgrade changed nothing");
        }

        var steps = new StepList(environment);
        var traffic = await facts.TrafficServicesAsync(cancellationToken).ConfigureAwait(false);
        var trafficText = PlanText.Traffic(traffic);
        steps.Stop(traffic, $"stop {trafficText}: no traffic, and no migration run by a restarting backend while the database is repaired",
            "stop before changing anything; check the host");
        if (status.State == MigrationState.Behind)
        {
            steps.Add(new CheckMigrationsStep(db)
            {
                Index = 0,
                Host = dbHost.Name,
                Verification = $"agent: the live release's `alembic current` reads {db} (runbook: migrate.sh --check)",
                OnFailure = "stop before changing anything: the database moved since the plan; plan again",
            });
        }

        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = "agent: the half-applied state kept in a catalogued backup before anything is tried",
            OnFailure = "stop before changing anything; free space in the backup directory and run again",
        });
        var backupStep = steps.Last;
        steps.Add(new UpgradeStep("head", backupStep)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = $"agent: option A, complete the migration: `alembic upgrade head` with the live release's scripts; alembic_version reads {string.Join(",", status.CodeHeads)} after",
            Destructive = true,
            OnFailure = "try the next step (option B)",
        });
        var upgradeStep = steps.Last;
        var latest = (await facts.BackupsAsync(cancellationToken).ConfigureAwait(false))
            .Where(b => b.VerifyState == VerifyState.Verified).MaxBy(b => b.TakenAt.ToDateTimeOffset());
        var next = latest is null ? "stop: no verified backup to restore; restore by hand or escalate" : "try the next step (restore)";
        if (!atLastGood)
        {
            steps.Add(new DowngradeStep(1, BackupStep: backupStep)
            {
                Index = 0,
                Host = dbHost.Name,
                Verification = "agent: option B, only if the upgrade failed: `alembic downgrade` one revision below the database's (above the last good release's head); alembic_version reads the revision below after",
                Destructive = true,
                OnFailure = next,
                RunsIf = StepCondition.PreviousFailed,
            });
        }
        else if (leftovers is { Compared: true })
        {
            // Option B without a downgrade: drop what the failed upgrade committed, the objects the schema
            // has beyond the reference at the last good head.
            steps.Add(new RepairLeftoversStep(backupStep)
            {
                Index = 0,
                Host = dbHost.Name,
                Verification = $"agent: option B, only if the upgrade failed: what the failed upgrade committed at {db} ({string.Join(", ", leftovers.Differences.Select(LeftoverText.Difference))}, against {LeftoverText.Reference(leftovers)}) dropped, a plain DROP each, never CASCADE; {db} itself is not reverted",
                Destructive = true,
                OnFailure = next,
                RunsIf = StepCondition.PreviousFailed,
            });
        }
        if (latest is not null)
        {
            steps.Add(new RestoreStep(latest.Id)
            {
                Index = 0,
                Host = dbHost.Name,
                Verification = $"agent: only if option B failed too: restore the newest verified backup {latest.Id} (safety backup first); tables and Alembic head read back",
                Destructive = true,
                OnFailure = "stop; the agent put the safety backup back; escalate",
                RunsIf = StepCondition.PreviousFailed,
            });
        }

        steps.DatabaseCheck("", "stop and report");
        foreach (var host in environment.Hosts)
        {
            steps.Add(new StartServicesStep(traffic)
            {
                Index = 0,
                Host = host.Name,
                Verification = $"agent: only if the migration was completed (step {upgradeStep}): {trafficText} started again on the live release, running and healthy, health URLs 2xx",
                OnFailure = $"stop and report: read the logs (teafleet logs {environment.Name} backend --host {host.Name})",
                RunsIf = StepCondition.Succeeded(upgradeStep),
            });
        }

        var note = $"detected: {detected}. Each option runs only if the one before it failed." +
                   (latest is null ? " There is no verified backup to fall back on." : $" Restoring {latest.Id} (taken {latest.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z) loses what was written after it ({PlanText.DataLossWindow(now - latest.TakenAt.ToDateTimeOffset())}).") +
                   $" After option B or a restore, {trafficText} stay stopped: the live code ({PlanText.Short(status.CodeCommit)}) expects {string.Join(",", status.CodeHeads)}, so roll the code back to the release of the database's head (teafleet rollback {environment.Name} --to REF), which starts them.";
        return new Plan(PlanKind.Repair, RollbackType.None, environment.Name, status.CodeCommit, [], [], current, steps.Steps, note, $"half-applied migration: {status.State}");
    }
}
