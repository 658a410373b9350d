using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Database;

/// <summary>
/// Which backups retention deletes: of TeaFleet's own backups, everything that is not among the
/// newest keepLast, not the newest of its day within keepDailyDays, and not the newest verified
/// one. The runbook's old plain dumps belong to the old scripts and are never deleted here.
/// </summary>
public static class RetentionPolicy
{
    public static IReadOnlyList<Backup> Select(IEnumerable<Backup> backups, int keepLast, int keepDailyDays, DateTimeOffset now)
    {
        var own = backups
            .Where(b => b.Kind != BackupKind.Legacy)
            .OrderByDescending(b => b.TakenAt)
            .ThenByDescending(b => b.Id, StringComparer.Ordinal)
            .ToList();
        var keep = new HashSet<string>(own.Take(Math.Max(1, keepLast)).Select(b => b.Id), StringComparer.Ordinal);
        var since = now.UtcDateTime.Date.AddDays(-keepDailyDays + 1);
        foreach (var day in own.Where(b => UtcOf(b) >= since).GroupBy(b => UtcOf(b).Date))
        {
            keep.Add(day.First().Id);
        }

        if (own.FirstOrDefault(b => b.VerifyState == VerifyState.Verified) is { } newestVerified)
        {
            keep.Add(newestVerified.Id);
        }

        return own.Where(b => !keep.Contains(b.Id)).ToList();
    }

    private static DateTime UtcOf(Backup backup) => backup.TakenAt?.UtcDateTime ?? DateTime.MinValue;
}
