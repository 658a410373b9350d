using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Database;

/// <summary>
/// Backups and restores of the host's database, one operation each. A backup is written to a
/// partial file, fsynced, renamed into place and only then catalogued. A restore takes a backup id
/// from the catalogue (never a path), verifies it, takes and verifies a safety backup of what is
/// there now, and only then empties the database and restores into it.
/// </summary>
public sealed class BackupOperations(
    OperationManager operations,
    BackupCatalogue catalogue,
    PostgresDatabase database,
    ProcessRunner runner,
    IContainerRuntime runtime,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string CreateKind = "database.backup";
    public const string VerifyKind = "database.verify";
    public const string PruneKind = "database.prune";
    public const string RestoreKind = "database.restore";

    /// <summary>Free space kept beyond the estimate: a backup never fills the disk to the last byte.</summary>
    private const long Headroom = 16L << 20;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    private AgentOptions Options => options.Value;

    public OperationRecord Create(CreateBackupRequest request, string caller)
    {
        if (operations.TryAttach(request.Header, CreateKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        var kind = request.Kind switch
        {
            BackupKind.Unspecified => BackupKind.Quick,
            BackupKind.Safety or BackupKind.Legacy => throw AgentException.Invalid(
                $"a {BackupKinds.Name(request.Kind)} backup cannot be asked for; ask for quick, full, scheduled or forensic"),
            var k => k,
        };
        return operations.Start(request.Header, CreateKind, $"{BackupKinds.Name(kind)} backup of {Options.Database.Name}", caller, async context =>
        {
            var backup = await BackupAsync(context, kind, request.Header);
            if (kind is not BackupKind.Quick)
            {
                backup = await VerifyStepAsync(context, backup);
            }

            return Result(backup);
        });
    }

    public OperationRecord Verify(VerifyBackupRequest request, string caller)
    {
        if (operations.TryAttach(request.Header, VerifyKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        var backup = catalogue.Get(request.BackupId);
        return operations.Start(request.Header, VerifyKind, $"backup {backup.Id}", caller, async context =>
        {
            backup = await VerifyStepAsync(context, backup);
            return Result(backup);
        });
    }

    public OperationRecord Prune(PruneBackupsRequest request, string caller)
    {
        if (operations.TryAttach(request.Header, PruneKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        return operations.Start(request.Header, PruneKind, request.DryRun ? "dry run" : "", caller, async context =>
        {
            var doomed = RetentionPolicy.Select(catalogue.List(), Options.Database.KeepLast, Options.Database.KeepDailyDays, time.GetUtcNow());
            await context.StepAsync("prune", $"retention: the last {Options.Database.KeepLast} and one a day for {Options.Database.KeepDailyDays} days, never the newest verified", () =>
            {
                foreach (var backup in doomed)
                {
                    context.Log("prune", $"{(request.DryRun ? "would delete" : "deleting")} {backup.Id} ({Bytes(backup.SizeBytes)}, {backup.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm}Z)");
                    if (!request.DryRun)
                    {
                        catalogue.Delete(backup);
                    }
                }

                return Task.FromResult(doomed.Count == 0
                    ? "nothing to delete"
                    : $"{(request.DryRun ? "would delete" : "deleted")} {doomed.Count} backup(s), {Bytes(doomed.Sum(b => b.SizeBytes))}");
            });
            return new Dictionary<string, string>
            {
                ["deleted"] = string.Join(",", doomed.Select(b => b.Id)),
                ["dry_run"] = request.DryRun ? "true" : "false",
            };
        });
    }

    public OperationRecord Restore(RestoreRequest request, string caller)
    {
        if (operations.TryAttach(request.Header, RestoreKind) is { } existing)
        {
            return existing;
        }

        database.EnsureConfigured();
        // Everything the caller can get wrong is refused here, before an operation exists.
        var backup = catalogue.Get(request.BackupId);
        if (backup.VerifyState == VerifyState.Failed)
        {
            throw AgentException.Precondition(
                $"backup {backup.Id} failed verification ({backup.VerifyMessage}); it is never restored. Choose another from `teafleet backups ENV`");
        }

        if (request.Jobs is < 0 or > 64)
        {
            throw AgentException.Invalid($"jobs {request.Jobs} is out of range: give 1-64, or 0 for the agent's choice");
        }

        var jobs = request.Jobs > 0 ? request.Jobs : Options.Database.RestoreJobs > 0 ? Options.Database.RestoreJobs : Math.Clamp(Environment.ProcessorCount, 1, 4);
        return operations.Start(request.Header, RestoreKind, $"{Options.Database.Name} from backup {backup.Id}", caller, async context =>
        {
            backup = await VerifyStepAsync(context, backup);

            var safety = await BackupAsync(context, BackupKind.Safety, request.Header, $"before restoring {backup.Id}");
            safety = await VerifyStepAsync(context, safety);
            var data = new Dictionary<string, string> { ["safety_backup_id"] = safety.Id, ["restored_backup_id"] = backup.Id };

            try
            {
                await RestoreIntoAsync(context, backup, jobs, "restore", context.CancellationToken);
                await context.StepAsync("check", "connect, read the Alembic head and count every table's rows", async () =>
                {
                    var status = await database.CheckAsync(rowCounts: true, context.CancellationToken);
                    data["migration_head"] = string.Join(",", status.MigrationHeads);
                    data["tables"] = status.Tables.Count.ToString(CultureInfo.InvariantCulture);
                    data["rows"] = status.Tables.Sum(t => t.Rows).ToString(CultureInfo.InvariantCulture);
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

    /// <summary>
    /// Takes a backup as steps of the current operation: checks the space, dumps to a partial file
    /// while hashing it, fsyncs, renames, catalogues. Returns the catalogued backup. Also the fresh
    /// backup a migration takes for itself (MigrationOperations).
    /// </summary>
    internal async Task<Backup> BackupAsync(OperationContext context, BackupKind kind, OperationHeader header, string? reason = null)
    {
        var name = BackupKinds.Name(kind);
        var dbSize = await context.StepAsync("space", $"check the free space in {Options.BackupDir} for a {name} backup", async () =>
        {
            var size = await database.SizeAsync(context.CancellationToken);
            var estimate = Estimate(size);
            Directory.CreateDirectory(Options.BackupDir);
            var free = new DriveInfo(Options.BackupDir).AvailableFreeSpace;
            if (free < estimate + Headroom)
            {
                throw new InvalidOperationException(
                    $"not enough space in {Options.BackupDir}: the backup needs about {Bytes(estimate)} (database {Bytes(size)}) plus {Bytes(Headroom)} headroom, {Bytes(free)} is free; free space there or prune old backups (`teafleet backups ENV --prune`)");
            }

            return (size, $"database {Bytes(size)}, backup about {Bytes(estimate)}, {Bytes(free)} free");
        });

        var takenAt = time.GetUtcNow();
        var id = catalogue.NewId(takenAt, kind);
        var backup = new Backup
        {
            Id = id,
            TakenAt = Timestamp.FromDateTimeOffset(takenAt),
            Kind = kind,
            Format = BackupFormat.Custom,
            FileName = id + ".dump",
            RequestedBy = context.Info.RequestedBy,
            Reason = reason ?? header.Reason,
            OperationId = context.OperationId,
            DatabaseSizeBytes = dbSize,
            VerifyState = VerifyState.Unverified,
        };
        backup.MigrationHead = string.Join(",", await database.MigrationHeadsAsync(context.CancellationToken));
        backup.ReleaseCommit = await LiveReleaseAsync(context.CancellationToken);

        await context.StepAsync("dump", $"pg_dump {Options.Database.Name} to {backup.FileName} (custom format, compression {Compression(kind)})", async () =>
        {
            var final = Path.Combine(Options.BackupDir, backup.FileName);
            var partial = Path.Combine(Options.BackupDir, BackupCatalogue.PartialPrefix + backup.FileName);
            var moved = false;
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long written = 0;
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    await runner.RunBinaryAsync(database.Tool("pg_dump"), ["--no-password", "--format=custom", $"--compress={Compression(kind)}", $"--dbname={Options.Database.Name}"],
                        database.ToolEnvironment(), null, async (stdout, ct) =>
                        {
                            var buffer = new byte[1 << 20];
                            var last = time.GetTimestamp();
                            int read;
                            while ((read = await stdout.ReadAsync(buffer, ct)) > 0)
                            {
                                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                                hash.AppendData(buffer, 0, read);
                                written += read;
                                if (time.GetElapsedTime(last) >= ProgressEvery)
                                {
                                    last = time.GetTimestamp();
                                    context.Report("dump", OperationPhase.Progress, $"{Bytes(written)} written", bytes: written);
                                }
                            }
                        },
                        line => context.Log("dump", line), context.CancellationToken);
                    await file.FlushAsync(context.CancellationToken);
                    file.Flush(flushToDisk: true);
                }

                File.Move(partial, final);
                moved = true;
                Durable.SyncDirectory(Options.BackupDir);
                backup.SizeBytes = written;
                backup.Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            finally
            {
                if (!moved)
                {
                    File.Delete(partial);
                }
            }

            catalogue.Put(backup);
            context.Report("dump", OperationPhase.Progress, $"{Bytes(backup.SizeBytes)} written", bytes: backup.SizeBytes);
            return $"{backup.Id}: {Bytes(backup.SizeBytes)}, sha256 {backup.Sha256[..12]}…, Alembic head {(backup.MigrationHead.Length > 0 ? backup.MigrationHead : "none")}";
        });
        return backup;
    }

    /// <summary>Checks a backup's checksum and readability; records the verdict; throws when it failed.</summary>
    private async Task<Backup> VerifyStepAsync(OperationContext context, Backup backup)
    {
        var verified = await context.StepAsync("verify", $"verify backup {backup.Id}: sha256 and its table of contents", async () =>
        {
            var path = catalogue.PathOf(backup);
            var checkedBackup = backup.Clone();
            string? problem = null;
            string summary;
            if (!File.Exists(path))
            {
                problem = $"its file {backup.FileName} is missing from {Options.BackupDir}";
                summary = "";
            }
            else
            {
                var sha = await Sha256Async(path, context.CancellationToken);
                if (checkedBackup.Sha256.Length > 0 && !string.Equals(sha, checkedBackup.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    problem = $"its sha256 is {sha[..12]}…, the catalogue recorded {checkedBackup.Sha256[..12]}… when it was written: the file has changed or is damaged";
                }

                checkedBackup.Sha256 = checkedBackup.Sha256.Length > 0 ? checkedBackup.Sha256 : sha;
                summary = $"sha256 {sha[..12]}… matches";
                if (problem is null)
                {
                    try
                    {
                        summary += ", " + await ReadableAsync(backup, path, context);
                    }
                    catch (Exception ex) when (ex is ProcessFailedException or InvalidDataException or IOException)
                    {
                        problem = $"it cannot be read: {ex.Message}";
                    }
                }
            }

            checkedBackup.VerifyState = problem is null ? VerifyState.Verified : VerifyState.Failed;
            checkedBackup.VerifiedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            checkedBackup.VerifyMessage = problem ?? "";
            catalogue.Put(checkedBackup);
            if (problem is not null)
            {
                throw new InvalidOperationException($"backup {backup.Id} failed verification: {problem}; it will not be restored");
            }

            return (checkedBackup, summary);
        });
        return verified;
    }

    private async Task<string> ReadableAsync(Backup backup, string path, OperationContext context)
    {
        if (backup.Format == BackupFormat.PlainGzip)
        {
            // Reading it to the end checks gzip's own CRC; the header says whether it is a pg_dump.
            await using var file = File.OpenRead(path);
            await using var plain = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(plain);
            var head = new char[4096];
            var n = await reader.ReadBlockAsync(head, context.CancellationToken);
            if (!new string(head, 0, n).Contains("PostgreSQL database dump", StringComparison.Ordinal))
            {
                throw new InvalidDataException("it is not a PostgreSQL plain dump (no pg_dump header)");
            }

            var buffer = new char[1 << 16];
            while (await reader.ReadBlockAsync(buffer, context.CancellationToken) > 0)
            {
            }

            return "gzip intact, a plain pg_dump";
        }

        var entries = 0;
        await runner.RunBinaryAsync(database.Tool("pg_restore"), ["--list", path], null, null, async (stdout, ct) =>
        {
            using var reader = new StreamReader(stdout);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length > 0 && line[0] != ';')
                {
                    entries++;
                }
            }
        }, line => context.Log("verify", line), context.CancellationToken);
        if (entries == 0)
        {
            throw new InvalidDataException("pg_restore --list found no entries");
        }

        return $"pg_restore reads {entries} entries";
    }

    /// <summary>The backup's expected size: the last backup's ratio to its database (with a margin), else the database's size.</summary>
    private long Estimate(long databaseSize)
    {
        var last = catalogue.List().FirstOrDefault(b => b.Format == BackupFormat.Custom && b.DatabaseSizeBytes > 0 && b.SizeBytes > 0);
        if (last is null)
        {
            return databaseSize;
        }

        var ratio = Math.Min(1.0, (double)last.SizeBytes / last.DatabaseSizeBytes);
        return (long)(databaseSize * ratio * 1.5);
    }

    /// <summary>The release the app's code runs on this host now (the release services' containers), else the ledger's current.</summary>
    private async Task<string> LiveReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var containers = await runtime.ListServicesAsync(Options.App.ProjectName, cancellationToken);
            foreach (var service in Options.App.ReleaseServices)
            {
                if (containers.TryGetValue(service, out var c) && c.State == "running" && c.Release.Length > 0)
                {
                    return c.Release;
                }
            }
        }
        catch (AgentException)
        {
            // Docker down: the ledger still knows.
        }

        return ledger.Current()?.Commit ?? "";
    }

    private static int Compression(BackupKind kind) => kind is BackupKind.Quick or BackupKind.Safety ? 1 : 6;

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static Dictionary<string, string> Result(Backup backup) => new()
    {
        ["backup_id"] = backup.Id,
        ["size_bytes"] = backup.SizeBytes.ToString(CultureInfo.InvariantCulture),
        ["sha256"] = backup.Sha256,
        ["verify_state"] = backup.VerifyState.ToString(),
    };

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
