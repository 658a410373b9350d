using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Which backup a Type 3 rollback restores: --backup ID, the newest verified one before --before, or the
/// newest verified one. Given the target release (--to) and what it knows (<see cref="BackupFit"/>): by
/// default the newest verified backup the target can run on; an explicit --backup or --before whose backup
/// it cannot is refused (exit 2, nothing changed) with the backups that would do.
/// </summary>
public static class BackupSelection
{
    public static async Task<Backup> SelectAsync(FleetFacts facts, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken, BackupFit? fit = null)
    {
        var chosen = await ChooseAsync(facts, request, now, cancellationToken, fit).ConfigureAwait(false);
        if (fit?.Misfit(chosen) is { } why)
        {
            var asked = request.BackupId is not null ? $"--backup {chosen.Id}" : $"--before {request.Before:yyyy-MM-dd HH:mm:ss}Z picks {chosen.Id}, which";
            throw await RefusalAsync(facts, fit, $"{asked} does not suit {fit.Label}: {why}; nothing was changed.", cancellationToken).ConfigureAwait(false);
        }

        return chosen;
    }

    /// <summary>Exit 2 with the verified backups the target can run on, newest first, or what to do when there are none.</summary>
    private static async Task<FleetException> RefusalAsync(FleetFacts facts, BackupFit fit, string message, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var verified = (await facts.BackupsAsync(cancellationToken).ConfigureAwait(false))
            .Where(b => b.VerifyState == VerifyState.Verified).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).ToList();
        var candidates = verified.Where(fit.Fits).ToList();
        if (candidates.Count > 0)
        {
            return FleetException.BadInput(
                message + $" Verified backups {fit.Label} can run on (newest first):\n  " + string.Join("\n  ", candidates.Take(10).Select(BackupFit.Describe)),
                $"Give one with --backup ID (e.g. 'teafleet rollback {environment.Name} --to {fit.Label} --backup {candidates[0].Id}'), or leave out --backup and --before for the newest.");
        }

        return FleetException.BadInput(
            message + $" No verified backup on {environment.DatabaseHost.Name} suits {fit.Label}" +
            (verified.Count > 0 ? ":\n  " + string.Join("\n  ", verified.Take(10).Select(b => $"{BackupFit.Describe(b)}: {fit.Misfit(b)}")) : " (there are none)."),
            $"Roll back to the code of a backup's time instead (leave out --to: 'teafleet rollback {environment.Name} --type 3 --backup ID' switches to the release that took it), " +
            $"or verify an older backup ('teafleet backups {environment.Name} --verify ID') and plan again.");
    }

    private static async Task<Backup> ChooseAsync(FleetFacts facts, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken, BackupFit? fit)
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

        if (fit is not null && candidates.Count > 0)
        {
            return candidates.FirstOrDefault(fit.Fits)
                ?? throw await RefusalAsync(facts, fit, $"no verified backup on {environment.DatabaseHost.Name} suits {fit.Label}; nothing was changed.", cancellationToken).ConfigureAwait(false);
        }

        return candidates.FirstOrDefault()
            ?? throw FleetException.BadInput($"no verified backup on {environment.DatabaseHost.Name}; nothing was changed.",
                $"Verify one with 'teafleet backups {environment.Name} --verify ID', or take one with 'teafleet backup {environment.Name} --full'.");
    }
}
