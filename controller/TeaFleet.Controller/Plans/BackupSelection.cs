using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>Which backup a Type 3 rollback restores: --backup ID, the newest verified one before --before, or the newest verified one.</summary>
public static class BackupSelection
{
    public static async Task<Backup> SelectAsync(FleetFacts facts, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        if (request.BackupId is { } id)
        {
            return await facts.BackupAsync(id, cancellationToken).ConfigureAwait(false);
        }

        var backups = await facts.BackupsAsync(cancellationToken).ConfigureAwait(false);
        var candidates = backups.Where(b => b.VerifyState == VerifyState.Verified).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).ToList();
        if (request.Before is { } before)
        {
            if (before > now)
            {
                throw FleetException.BadInput(
                    $"--before {before:yyyy-MM-dd HH:mm:ss}Z is in the future (it is now {now:yyyy-MM-dd HH:mm:ss}Z); nothing was changed.",
                    "Give the time the incident began (local time, or with an offset such as +01:00), e.g. --before \"2026-11-20 14:00\".");
            }

            var oldest = backups.Where(b => b.VerifyState != VerifyState.Failed).MinBy(b => b.TakenAt.ToDateTimeOffset());
            if (oldest is null || oldest.TakenAt.ToDateTimeOffset() >= before)
            {
                throw FleetException.BadInput(
                    $"no backup on {environment.DatabaseHost.Name} is older than {before:yyyy-MM-dd HH:mm:ss}Z" + (oldest is null ? " (there are none)" : $": the oldest, {oldest.Id}, was taken {oldest.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z") + "; nothing was changed.",
                    $"List the backups with 'teafleet backups {environment.Name}' and give a later time, or --backup ID.");
            }

            return candidates.FirstOrDefault(b => b.TakenAt.ToDateTimeOffset() < before)
                ?? throw FleetException.BadInput(
                    $"no verified backup on {environment.DatabaseHost.Name} was taken before {before:yyyy-MM-dd HH:mm:ss}Z (only unverified ones); nothing was changed.",
                    $"Verify one with 'teafleet backups {environment.Name} --verify ID', then plan again.");
        }

        return candidates.FirstOrDefault()
            ?? throw FleetException.BadInput($"no verified backup on {environment.DatabaseHost.Name}; nothing was changed.",
                $"Verify one with 'teafleet backups {environment.Name} --verify ID', or take one with 'teafleet backup {environment.Name} --full'.");
    }
}
