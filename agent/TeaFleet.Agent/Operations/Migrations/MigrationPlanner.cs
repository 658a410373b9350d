using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>What the database's Alembic state means against the live code, and a downgrade request turned into revisions, before anything runs.</summary>
public static class MigrationPlanner
{
    public static (MigrationState State, string Detail) Assess(IReadOnlyList<string> dbHeads, MigrationGraph code)
    {
        var heads = string.Join(", ", code.Heads);
        if (dbHeads.Count == 0)
        {
            return (MigrationState.NotMigrated, $"the database has no Alembic revision; the live code's head is {heads}");
        }

        if (dbHeads.Count > 1)
        {
            return (MigrationState.SeveralHeads, $"the database is at several revisions ({string.Join(", ", dbHeads)}); a relative downgrade is ambiguous: name a revision");
        }

        var db = dbHeads[0];
        if (!code.Contains(db))
        {
            return (MigrationState.UnknownRevision,
                $"the database is at {db}, which the live code does not know (its head is {heads}): newer code migrated it, or a migration is half-applied; the live code's Alembic cannot run against it");
        }

        return code.Heads.Contains(db)
            ? (MigrationState.UpToDate, $"the database is at the live code's head {db}")
            : (MigrationState.Behind, $"the database is at {db}, behind the live code's head {heads} ({code.StepsBetween(db, code.Heads[0]) ?? 0} to apply): an upgrade is pending or the last one failed half-way");
    }

    public static DowngradePlan PlanDowngrade(LiveCode live, IReadOnlyList<string> dbHeads, int steps, string revision)
    {
        if (dbHeads.Count != 1)
        {
            throw AgentException.Precondition(dbHeads.Count == 0
                ? "the database has no Alembic revision: there is nothing to downgrade"
                : $"the database is at several revisions ({string.Join(", ", dbHeads)}); a downgrade from there is ambiguous. Downgrade by hand, one branch at a time");
        }

        var from = dbHeads[0];
        if (!live.Graph.Contains(from))
        {
            throw AgentException.Precondition(
                $"the database is at {from}, which the live code ({GitRefs.Short(live.Commit)}) does not know: its scripts cannot revert it. Switch to the release that migrated it first, or restore a backup");
        }

        if (steps > 0 && live.Graph.Heads.Count > 1)
        {
            throw AgentException.Precondition(
                $"the live code has several heads ({string.Join(", ", live.Graph.Heads)}): \"{steps} step(s) down\" is ambiguous. Give the revision to end at instead");
        }

        string to;
        if (revision.Length > 0)
        {
            if (revision != "base" && !live.Graph.Contains(revision))
            {
                throw AgentException.Invalid($"revision '{revision}' is not in the live code's migrations ({string.Join(", ", live.Graph.Revisions.Order(StringComparer.Ordinal))})");
            }

            to = revision;
        }
        else
        {
            to = live.Graph.StepsBelow(from, steps)
                ?? throw AgentException.Precondition(
                    $"cannot go {steps} step(s) down from {from}: a merge lies in the way or there are not that many revisions. Give the revision to end at instead");
        }

        var reverted = live.Graph.Reverted(from, to)
            ?? throw AgentException.Precondition($"{to} is not below the database's revision {from}; nothing to downgrade to it (an upgrade?)");
        if (reverted.Count == 0)
        {
            throw AgentException.Precondition($"the database is already at {to}; nothing to downgrade");
        }

        if (steps > 0 && revision.Length > 0 && reverted.Count != steps)
        {
            throw AgentException.Precondition(
                $"downgrading to {revision} reverts {reverted.Count} revision(s) ({string.Join(", ", reverted)}), not {steps}: the database moved since the plan was made. Plan again");
        }

        return new DowngradePlan(from, to, reverted);
    }
}
