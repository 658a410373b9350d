using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Whether a backup suits the code of a Type 3's target release: its Alembic head is a revision the
/// target's migration scripts know (or it has none), and it was not taken under newer code (the release
/// the catalogue recorded as live when it was taken is the target or one the target descends from).
/// Both facts come from the agent's Migrations.Status with the target (<c>target_revisions</c>,
/// <c>target_history_commits</c>).
/// </summary>
/// <param name="Target">The target's full commit.</param>
/// <param name="Label">How the operator named it (the tag, or the short commit).</param>
/// <param name="Revisions">Every revision of the target's migration scripts.</param>
/// <param name="History">The catalogue's release commits the target's history contains.</param>
public sealed record BackupFit(string Target, string Label, IReadOnlySet<string> Revisions, IReadOnlySet<string> History)
{
    /// <summary>The fit for a target from the agent's status; null when it cannot be told (no migrations, or an agent that predates the fields).</summary>
    public static BackupFit? From(MigrationStatus? status, string label)
    {
        if (status is null || status.TargetCommit.Length == 0 || (status.TargetRevisions.Count == 0 && status.TargetHeads.Count > 0))
        {
            return null;
        }

        return new BackupFit(status.TargetCommit, label, status.TargetRevisions.ToHashSet(StringComparer.Ordinal), status.TargetHistoryCommits.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Why the backup does not suit the target, or null when it does.</summary>
    public string? Misfit(Backup backup)
    {
        var heads = backup.MigrationHead.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (heads.FirstOrDefault(h => !Revisions.Contains(h)) is { } unknown)
        {
            return $"its Alembic head {unknown} is not a revision {Label} knows (newer code migrated that database)";
        }

        if (backup.ReleaseCommit.Length > 0 && backup.ReleaseCommit != Target && !History.Contains(backup.ReleaseCommit))
        {
            return $"it was taken under {PlanText.Short(backup.ReleaseCommit)}, newer code than {Label} (or another line of it)";
        }

        return null;
    }

    public bool Fits(Backup backup) => Misfit(backup) is null;

    /// <summary>One line per backup: "ID  TIME  head HEAD  release COMMIT".</summary>
    public static string Describe(Backup backup) =>
        $"{backup.Id}  {PlanText.Time(backup.TakenAt.ToDateTimeOffset())}  head {PlanText.Head(backup.MigrationHead)}  release {PlanText.Short(backup.ReleaseCommit)}";
}
