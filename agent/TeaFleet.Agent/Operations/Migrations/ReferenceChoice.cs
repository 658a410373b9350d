using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// Which backup holds the schema the database had when it was last at its current head: a backup
/// taken after a downgrade to that head already holds what the downgrade left behind, so the rule is
/// the newest verified backup at this head taken before the newest succeeded downgrade that ended at
/// this head; with no such downgrade recorded, the newest verified backup at this head. None: no
/// comparison (the reason says why), never a guess.
/// </summary>
public sealed record ReferenceChoice(Backup? Backup, RecordedDowngrade? Downgrade, string Reason)
{
    public static ReferenceChoice Choose(string head, IReadOnlyList<Backup> backups, IReadOnlyList<RecordedDowngrade> downgrades)
    {
        var downgrade = downgrades.Where(d => d.To == head).MaxBy(d => d.StartedAt);
        var atHead = backups
            .Where(b => b.Kind != BackupKind.Legacy && b.Format == BackupFormat.Custom && b.MigrationHead == head && b.TakenAt is not null)
            .Where(b => downgrade is null || b.TakenAt < downgrade.StartedAt)
            .OrderByDescending(b => b.TakenAt)
            .ToList();
        var verified = atHead.FirstOrDefault(b => b.VerifyState == VerifyState.Verified);
        var since = downgrade is null ? "" : $" taken before the downgrade {downgrade.OperationId} ({downgrade.StartedAt:yyyy-MM-dd HH:mm:ss}Z)";
        if (verified is not null)
        {
            var reason = downgrade is null
                ? $"the newest verified backup at {head}; no downgrade to {head} was recorded by this agent, so a leftover already in that backup cannot be seen"
                : $"the newest verified backup at {head}{since}";
            return new ReferenceChoice(verified, downgrade, reason);
        }

        var unverified = atHead.FirstOrDefault(b => b.VerifyState != VerifyState.Failed);
        return new ReferenceChoice(null, downgrade,
            $"no verified backup at {head}{since}: nothing to compare the live schema with" +
            (unverified is not null ? $"; backup {unverified.Id} is at {head} but not verified: verify it (teafleet backups ENV --verify {unverified.Id}) and ask again" : ""));
    }
}
