using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>The migration status (a read, no container): the database's revision against the live code's, and what a switch to a target commit would revert or apply.</summary>
public sealed class MigrationStatusReader(
    OperationManager operations,
    GitRepository git,
    PostgresDatabase database,
    Alembic alembic,
    BackupCatalogue catalogue,
    LiveCodeFinder finder,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options)
{
    private AgentOptions Options => options.Value;

    /// <summary>The status against the live code; with a target (commit or tag), what a switch to it reverts or applies.</summary>
    public async Task<MigrationStatus> StatusAsync(string target, CancellationToken ct)
    {
        finder.EnsureConfigured();
        var live = await finder.LiveAsync(ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        var (state, detail) = MigrationPlanner.Assess(dbHeads, live.Graph);
        var status = new MigrationStatus
        {
            Host = Options.HostName,
            CodeCommit = live.Commit,
            Image = live.Image,
            ImagePresent = live.ImagePresent,
            Service = Options.Migrations.Service,
            DowngradeSteps = -1,
            UpgradeSteps = -1,
            DatabaseHeads = dbHeads,
            CodeHeads = live.Graph.Heads,
            State = state,
            Detail = detail,
            RunOnDeploy = Options.Migrations.RunOnDeploy,
        };
        status = WithLastGood(status, ledger);

        // The last migration this agent ran was an upgrade that did not finish (a later downgrade or a
        // successful upgrade repaired it).
        var lastUpgrade = operations.List(int.MaxValue).FirstOrDefault(o => o.Kind is MigrationOperations.UpgradeKind or MigrationOperations.DowngradeKind);
        if (lastUpgrade is { Kind: MigrationOperations.UpgradeKind, State: OperationState.Failed or OperationState.Interrupted })
        {
            status = status with
            {
                LastUpgradeFailed = true,
                LastUpgradeOperationId = lastUpgrade.OperationId,
                LastUpgradeMessage = lastUpgrade.Message,
            };
        }

        status = WithLastDowngrade(status);
        if (string.IsNullOrWhiteSpace(target))
        {
            return status;
        }

        var commit = await git.ResolveAsync(target.Trim(), ct)
            ?? throw AgentException.NotFound($"the app checkout on {Options.HostName} has no commit or tag '{target}'");
        var targetGraph = await alembic.GraphAsync(commit, ct);
        status = status with
        {
            TargetCommit = commit,
            TargetHeads = targetGraph.Heads,
            TargetRevisions = targetGraph.Revisions.Order(StringComparer.Ordinal).ToList(),
            TargetHistoryCommits = await HistoryCommitsAsync(commit, ct),
        };
        if (dbHeads.Count == 1 && targetGraph.Heads.Count == 1)
        {
            var (db, wanted) = (dbHeads[0], targetGraph.Heads[0]);
            if (db == wanted)
            {
                status = status with { DowngradeSteps = 0, UpgradeSteps = 0 };
            }
            else if (live.Graph.Reverted(db, wanted) is { } reverted)
            {
                status = status with { DowngradeSteps = reverted.Count, DowngradeRevisions = reverted };
            }
            else if (targetGraph.StepsBetween(db, wanted) is { } up)
            {
                status = status with { UpgradeSteps = up };
            }
        }

        return status;
    }

    /// <summary>
    /// The newest release that succeeded on this host (a failed or interrupted one after it does not
    /// count) and the head(s) its scripts had, as the ledger recorded them at its switch: a database at
    /// that head holds nothing a later, failed upgrade applied. Empty when no release succeeded.
    /// </summary>
    public static MigrationStatus WithLastGood(MigrationStatus status, ReleaseLedger ledger) =>
        ledger.Current() is { } good
            ? status with { LastGoodCommit = good.Commit, LastGoodHead = good.MigrationHead }
            : status;

    /// <summary>
    /// The last downgrade (or offline render of one) this agent ran, when it failed and no migration
    /// succeeded after it: its id, message (which says whether the database is unchanged) and time.
    /// </summary>
    private MigrationStatus WithLastDowngrade(MigrationStatus status)
    {
        var last = operations.List(int.MaxValue).FirstOrDefault(o =>
            o.Kind is MigrationOperations.UpgradeKind or MigrationOperations.DowngradeKind or MigrationOperations.RenderKind
            && o.State is not OperationState.Running);
        return last is { Kind: MigrationOperations.DowngradeKind or MigrationOperations.RenderKind, State: OperationState.Failed or OperationState.Interrupted }
            ? status with
            {
                LastDowngradeFailed = true,
                LastDowngradeOperationId = last.OperationId,
                LastDowngradeMessage = last.Message,
                LastDowngradeOffline = last.Kind == MigrationOperations.RenderKind,
                LastDowngradeAt = last.EndedAt ?? last.StartedAt,
            }
            : status;
    }

    /// <summary>The release commits the backup catalogue records that the target is, or descends from.</summary>
    private async Task<IReadOnlyList<string>> HistoryCommitsAsync(string target, CancellationToken ct)
    {
        if (!Options.Database.Configured)
        {
            return [];
        }

        var contained = new List<string>();
        foreach (var commit in catalogue.List().Select(b => b.ReleaseCommit).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (commit == target || await git.IsAncestorAsync(commit, target, ct))
            {
                contained.Add(commit);
            }
        }

        return contained;
    }
}
