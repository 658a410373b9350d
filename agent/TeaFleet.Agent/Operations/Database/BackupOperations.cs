using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Database;

/// <summary>
/// The host's database and its backups: the check and the catalogue (reads), and backup, verify and
/// prune, one operation each. A backup is written to a partial file, fsynced, renamed into place and
/// only then catalogued (BackupWriter); restores are RestoreOperation's.
/// </summary>
public sealed class BackupOperations(
    OperationManager operations,
    BackupCatalogue catalogue,
    PostgresDatabase database,
    BackupWriter writer,
    BackupVerifier verifier,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string CreateKind = OperationKinds.DatabaseBackup;
    public const string VerifyKind = OperationKinds.DatabaseVerify;
    public const string PruneKind = OperationKinds.DatabasePrune;

    private AgentOptions Options => options.Value;

    /// <summary>Connects and reports the server, size, sessions, the Alembic head and, when asked, row counts.</summary>
    public Task<DatabaseStatus> CheckAsync(bool rowCounts, CancellationToken cancellationToken) =>
        database.CheckAsync(rowCounts, cancellationToken);

    /// <summary>The catalogue, newest first, with the backup directory's free space.</summary>
    public BackupList List()
    {
        database.EnsureConfigured();
        var backups = catalogue.List();
        var free = Directory.Exists(catalogue.BackupDir) ? new DriveInfo(catalogue.BackupDir).AvailableFreeSpace : 0;
        return new BackupList(backups, catalogue.BackupDir, free);
    }

    public OperationRecord Create(OperationHeader header, BackupKind requested, string caller)
    {
        if (operations.TryAttach(header, CreateKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        var kind = requested switch
        {
            BackupKind.Unspecified => BackupKind.Quick,
            BackupKind.Safety or BackupKind.Legacy => throw AgentException.Invalid(
                $"a {requested.Name()} backup cannot be asked for; ask for quick, full, scheduled or forensic"),
            var k => k,
        };
        return operations.Start(header, CreateKind, $"{kind.Name()} backup of {Options.Database.Name}", caller, async context =>
        {
            var backup = await writer.BackupAsync(context, kind, header);
            if (kind is not BackupKind.Quick)
            {
                backup = await verifier.VerifyStepAsync(context, backup);
            }

            return Result(backup);
        });
    }

    public OperationRecord Verify(OperationHeader header, string backupId, string caller)
    {
        if (operations.TryAttach(header, VerifyKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        var backup = catalogue.Get(backupId);
        return operations.Start(header, VerifyKind, $"backup {backup.Id}", caller, async context =>
        {
            backup = await verifier.VerifyStepAsync(context, backup);
            return Result(backup);
        });
    }

    public OperationRecord Prune(OperationHeader header, bool dryRun, string caller)
    {
        if (operations.TryAttach(header, PruneKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        return operations.Start(header, PruneKind, dryRun ? "dry run" : "", caller, async context =>
        {
            var doomed = RetentionPolicy.Select(catalogue.List(), Options.Database.KeepLast, Options.Database.KeepDailyDays, time.GetUtcNow());
            await context.StepAsync("prune", $"retention: the last {Options.Database.KeepLast} and one a day for {Options.Database.KeepDailyDays} days, never the newest verified", () =>
            {
                foreach (var backup in doomed)
                {
                    context.Log("prune", $"{(dryRun ? "would delete" : "deleting")} {backup.Id} ({Bytes(backup.SizeBytes)}, {backup.TakenAt?.UtcDateTime:yyyy-MM-dd HH:mm}Z)");
                    if (!dryRun)
                    {
                        catalogue.Delete(backup);
                    }
                }

                return Task.FromResult(doomed.Count == 0
                    ? "nothing to delete"
                    : $"{(dryRun ? "would delete" : "deleted")} {doomed.Count} backup(s), {Bytes(doomed.Sum(b => b.SizeBytes))}");
            });
            return new Dictionary<string, string>
            {
                [OperationResultKeys.Deleted] = string.Join(",", doomed.Select(b => b.Id)),
                ["dry_run"] = dryRun ? "true" : "false",
            };
        });
    }

    private static Dictionary<string, string> Result(Backup backup) => new()
    {
        [OperationResultKeys.BackupId] = backup.Id,
        ["size_bytes"] = backup.SizeBytes.ToString(CultureInfo.InvariantCulture),
        ["sha256"] = backup.Sha256,
        ["verify_state"] = backup.VerifyState.ToString(),
    };

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}