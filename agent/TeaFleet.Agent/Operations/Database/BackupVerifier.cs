using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Database;

/// <summary>
/// Verifies a backup as a step of the current operation: its sha256 against the catalogue's, then
/// whether PostgreSQL's tools can read it; the verdict is recorded in the catalogue.
/// </summary>
public sealed class BackupVerifier(
    BackupCatalogue catalogue,
    PostgresDatabase database,
    ProcessRunner runner,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    private AgentOptions Options => options.Value;

    /// <summary>Checks a backup's checksum and readability; records the verdict; throws when it failed.</summary>
    public async Task<Backup> VerifyStepAsync(OperationContext context, Backup backup)
    {
        var verified = await context.StepAsync("verify", $"verify backup {backup.Id}: sha256 and its table of contents", async () =>
        {
            var path = catalogue.PathOf(backup);
            var checkedBackup = backup;
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

                checkedBackup = checkedBackup with { Sha256 = checkedBackup.Sha256.Length > 0 ? checkedBackup.Sha256 : sha };
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

            checkedBackup = checkedBackup with
            {
                VerifyState = problem is null ? VerifyState.Verified : VerifyState.Failed,
                VerifiedAt = time.GetUtcNow(),
                VerifyMessage = problem ?? "",
            };
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

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
