using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>Type 1 or 2, from the migration heads: the database's (and the current release's) against the target's; the ledger explains.</summary>
public static class TypeChooser
{
    public static async Task<TypeChoice> ChooseAsync(FleetFacts facts, string target, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var status = await facts.MigrationsAsync(target, cancellationToken).ConfigureAwait(false);
        var ledgers = await facts.LedgersAsync(cancellationToken).ConfigureAwait(false);
        var ledgerText = LedgerHeads(ledgers.First(l => l.Host == environment.DatabaseHost.Name), target);
        if (status is null)
        {
            return new TypeChoice(RollbackType.CodeOnly,
                $"{environment.DatabaseHost.Name} runs no migrations (Agent:Migrations is not configured there), so no database change is planned{ledgerText}", null);
        }

        var db = string.Join(",", status.DatabaseHeads);
        var wanted = string.Join(",", status.TargetHeads);
        if (status.DatabaseHeads.Count == 0)
        {
            return new TypeChoice(RollbackType.CodeOnly, $"the database has no Alembic revision yet: the target's start-up applies its migrations (head {PlanText.Head(wanted)}){ledgerText}", status);
        }

        if (db == wanted)
        {
            return new TypeChoice(RollbackType.CodeOnly, $"the target's Alembic head {PlanText.Head(wanted)} is the database's: no migration to revert{ledgerText}", status);
        }

        if (status.DowngradeSteps > 0)
        {
            return new TypeChoice(RollbackType.CodeAndDatabase,
                $"the database is at {PlanText.Head(db)} and the target's head is {PlanText.Head(wanted)}: {status.DowngradeSteps} migration(s) to revert first ({string.Join(", ", status.DowngradeRevisions)}){ledgerText}", status);
        }

        if (status.UpgradeSteps > 0)
        {
            return new TypeChoice(RollbackType.CodeOnly,
                $"the target's head {PlanText.Head(wanted)} is {status.UpgradeSteps} migration(s) ahead of the database's {PlanText.Head(db)}: its own start-up applies them{ledgerText}", status);
        }

        throw FleetException.BadInput(
            $"cannot plan a rollback to {PlanText.Short(target)} by migrations: the database is at {PlanText.Head(db)}, the target's head is {PlanText.Head(wanted)}, and the live code ({PlanText.Short(status.CodeCommit)}, heads {PlanText.Head(string.Join(",", status.CodeHeads))}) has no downgrade path between them. {status.Detail}.",
            $"Restore a backup instead (Type 3): teafleet plan rollback {environment.Name} --type 3 [--before TIME | --backup ID]; 'teafleet migrations {environment.Name}' shows the state.");
    }

    private static string LedgerHeads(HostLedger ledger, string target)
    {
        var current = ledger.Releases.FirstOrDefault(r => r.Result == ReleaseResult.Succeeded);
        var wanted = ledger.Releases.FirstOrDefault(r => r.Commit == target && r.MigrationHead.Length > 0);
        return current is { MigrationHead.Length: > 0 } && wanted is not null
            ? $" (ledger of {ledger.Host}: release {current.Id} at {PlanText.Short(current.Commit)} recorded {current.MigrationHead}, release {wanted.Id} at {PlanText.Short(wanted.Commit)} recorded {wanted.MigrationHead})"
            : "";
    }
}
