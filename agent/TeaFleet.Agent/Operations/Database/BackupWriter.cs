using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Database;

/// <summary>
/// Takes a backup as steps of the current operation: checks the space, dumps to a partial file
/// while hashing it, fsyncs, renames, and only then catalogues it. Used by backups, restores (the
/// safety backup) and migrations (the fresh backup).
/// </summary>
public sealed class BackupWriter(
    BackupCatalogue catalogue,
    PostgresDatabase database,
    ProcessRunner runner,
    IContainerRuntime runtime,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    /// <summary>Free space kept beyond the estimate: a backup never fills the disk to the last byte.</summary>
    private const long Headroom = 16L << 20;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    private AgentOptions Options => options.Value;

    /// <summary>
    /// Takes a backup as steps of the current operation: checks the space, dumps to a partial file
    /// while hashing it, fsyncs, renames, catalogues. Returns the catalogued backup. Also the fresh
    /// backup a migration takes for itself (MigrationOperations).
    /// </summary>
    public async Task<Backup> BackupAsync(OperationContext context, BackupKind kind, OperationHeader header, string? reason = null)
    {
        var name = kind.Name();
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
            TakenAt = takenAt,
            Kind = kind,
            Format = BackupFormat.Custom,
            FileName = id + ".dump",
            RequestedBy = context.Info.RequestedBy,
            Reason = reason ?? header.Reason,
            OperationId = context.OperationId,
            DatabaseSizeBytes = dbSize,
            VerifyState = VerifyState.Unverified,
        };
        backup = backup with
        {
            MigrationHead = string.Join(",", await database.MigrationHeadsAsync(context.CancellationToken)),
            ReleaseCommit = await LiveReleaseAsync(context.CancellationToken),
        };

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
                backup = backup with { SizeBytes = written, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) };
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

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
