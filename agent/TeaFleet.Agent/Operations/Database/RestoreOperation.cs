using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Database;

/// <summary>
/// A restore of the host's database, one operation: takes a backup id from the catalogue (never a
/// path), verifies it, takes and verifies a safety backup of what is there now, and only then
/// empties the database and restores into it; a failed or cancelled restore puts the safety backup back.
/// </summary>
public sealed class RestoreOperation(
    OperationManager operations,
    BackupCatalogue catalogue,
    PostgresDatabase database,
    ProcessRunner runner,
    BackupWriter writer,
    BackupVerifier verifier,
    IOptions<AgentOptions> options)
{
    public const string Kind = OperationKinds.DatabaseRestore;

    private AgentOptions Options => options.Value;

    public OperationRecord Start(OperationHeader header, string backupId, int requestedJobs, string caller)
    {
        if (operations.TryAttach(header, Kind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        // Everything the caller can get wrong is refused here, before an operation exists.
        var backup = catalogue.Get(backupId);
        if (backup.VerifyState == VerifyState.Failed)
        {
            throw AgentException.Precondition(
                $"backup {backup.Id} failed verification ({backup.VerifyMessage}); it is never restored. Choose another from `teafleet backups ENV`");
        }

        if (requestedJobs is < 0 or > 64)
        {
            throw AgentException.Invalid($"jobs {requestedJobs} is out of range: give 1-64, or 0 for the agent's choice");
        }

        var jobs = requestedJobs > 0 ? requestedJobs : Options.Database.RestoreJobs > 0 ? Options.Database.RestoreJobs : Math.Clamp(Environment.ProcessorCount, 1, 4);
        return operations.Start(header, Kind, $"{Options.Database.Name} from backup {backup.Id}", caller, async context =>
        {
            backup = await verifier.VerifyStepAsync(context, backup);

            var safety = await writer.BackupAsync(context, BackupKind.Safety, header, $"before restoring {backup.Id}");
            safety = await verifier.VerifyStepAsync(context, safety);
            var data = new Dictionary<string, string> { [OperationResultKeys.SafetyBackupId] = safety.Id, [OperationResultKeys.RestoredBackupId] = backup.Id };

            try
            {
                await RestoreIntoAsync(context, backup, jobs, "restore", context.CancellationToken);
                await context.StepAsync("check", "connect, read the Alembic head and count every table's rows", async () =>
                {
                    var status = await database.CheckAsync(rowCounts: true, context.CancellationToken);
                    data[OperationResultKeys.MigrationHead] = string.Join(",", status.MigrationHeads);
                    data[OperationResultKeys.Tables] = status.Tables.Count.ToString(CultureInfo.InvariantCulture);
                    data[OperationResultKeys.Rows] = status.Tables.Sum(t => t.Rows).ToString(CultureInfo.InvariantCulture);
                    if (status.Tables.Count == 0)
                    {
                        throw new InvalidOperationException("the database has no tables after the restore");
                    }

                    return $"{status.Tables.Count} tables, {status.Tables.Sum(t => t.Rows)} rows, Alembic head {(status.MigrationHeads.Count > 0 ? string.Join(",", status.MigrationHeads) : "none")}";
                });
            }
            catch (StepFailedException failed) when (!context.CancellationToken.IsCancellationRequested)
            {
                // Never leave the database empty or half-restored: put back what was there.
                try
                {
                    await RestoreIntoAsync(context, safety, jobs, "put-back", context.CancellationToken);
                }
                catch (StepFailedException putBack)
                {
                    throw new StepFailedException(failed.Step,
                        $"{failed.Message}; putting back the safety backup {safety.Id} failed too ({putBack.Message}): the database may be empty. Restore {safety.Id} by hand (`teafleet restore ENV {safety.Id}`)", failed);
                }

                throw new StepFailedException(failed.Step,
                    $"{failed.Message}; the database was put back from the safety backup {safety.Id} (as it was before this restore)", failed);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // Cancelled once the database may be emptied: a cancel must not leave it empty or half
                // restored. The put-back itself cannot be cancelled.
                await RestoreIntoAsync(context, safety, jobs, "put-back", CancellationToken.None);
                throw;
            }

            return data;
        });
    }

    /// <summary>Empties the database and restores a backup into it, as two steps named after why (restore, put-back).</summary>
    private async Task RestoreIntoAsync(OperationContext context, Backup backup, int jobs, string step, CancellationToken ct)
    {
        await context.StepAsync(step == "restore" ? "empty" : step + "-empty", $"end the database's other sessions and drop its schemas", async () =>
        {
            var ended = await database.EmptyForRestoreAsync(ct);
            return $"ended {ended} session(s); the database is empty";
        });

        await context.StepAsync(step, $"restore {backup.Id} ({Bytes(backup.SizeBytes)}) into {Options.Database.Name}", async () =>
        {
            var path = catalogue.PathOf(backup);
            if (backup.Format == BackupFormat.PlainGzip)
            {
                await using var file = File.OpenRead(path);
                await using var plain = new GZipStream(file, CompressionMode.Decompress);
                await runner.RunBinaryAsync(database.Tool("psql"), ["--no-psqlrc", "--quiet", "--no-password", "--output=/dev/null", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--file=-"],
                    database.ToolEnvironment(), plain, null, line => context.Log(step, line), ct);
                return "restored with psql (plain SQL)";
            }

            await runner.RunBinaryAsync(database.Tool("pg_restore"), ["--no-password", "--no-owner", "--exit-on-error", $"--jobs={jobs}", $"--dbname={Options.Database.Name}", path],
                database.ToolEnvironment(), null, null, line => context.Log(step, line), ct);
            return $"restored with pg_restore --jobs={jobs}";
        });
    }

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
