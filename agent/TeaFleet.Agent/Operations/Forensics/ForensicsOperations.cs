using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>
/// Runbook scenario 5's "create forensic backup", as one operation per host: a bundle under
/// STATE_DIR/forensics with the app's env files (copied as they are: evidence), every project container's
/// recent logs and the container list (Docker Engine API), the release ledger, and on the database host a
/// verified database backup of kind forensic (catalogued like every backup). It reads and copies; it never
/// changes the app. The env files' content never reaches a log line or an event.
/// </summary>
public sealed class ForensicsOperations(
    OperationManager operations,
    IContainerRuntime runtime,
    ReleaseLedger ledger,
    PostgresDatabase database,
    BackupWriter writer,
    BackupVerifier verifier,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string CollectKind = OperationKinds.ForensicsCollect;
    public const int DefaultLogLines = 5000;
    public const string Directory = "forensics";

    private AgentOptions Options => options.Value;

    /// <summary>Where the bundles are kept: STATE_DIR/forensics.</summary>
    public string BundlesDir => Path.Combine(Options.StateDir, Directory);

    /// <summary>The env files compose reads: the checkout's .env, and the project directory's (the first compose file's directory), where they exist.</summary>
    public IReadOnlyList<(string Source, string Name)> EnvFiles()
    {
        var checkout = Options.App.CheckoutDir;
        var project = Path.GetDirectoryName(Options.App.ComposeFiles.FirstOrDefault() ?? "") ?? "";
        return new[] { ".env", Path.Combine(project, ".env") }
            .Distinct(StringComparer.Ordinal)
            .Select(relative => (Source: Path.Combine(checkout, relative), Name: Path.Combine("env", relative)))
            .Where(f => File.Exists(f.Source))
            .ToList();
    }

    /// <summary>
    /// Starts a collect. Refused (FailedPrecondition, nothing written) when this host has nothing to collect:
    /// no env file, no release ledger, no database and no container of the project.
    /// </summary>
    public async Task<OperationRecord> CollectAsync(OperationHeader header, int logLines, string caller, CancellationToken cancellationToken)
    {
        if (operations.TryAttach(header, CollectKind) is { } existing)
        {
            return existing;
        }

        if (logLines < 0)
        {
            throw AgentException.Invalid($"log_lines must be 0 (the agent's default, {DefaultLogLines}) or more, not {logLines}");
        }

        var lines = logLines == 0 ? DefaultLogLines : logLines;
        var envFiles = EnvFiles();
        var hasLedger = File.Exists(ledger.Path) && new FileInfo(ledger.Path).Length > 0;
        var hasDatabase = database.Options.Configured;
        if (envFiles.Count == 0 && !hasLedger && !hasDatabase
            && (await runtime.ListContainersAsync(Options.App.ProjectName, cancellationToken)).Count == 0)
        {
            throw AgentException.Precondition(
                $"nothing to collect on {operations.HostName}: no env file in {Options.App.CheckoutDir}, no container of Compose project '{Options.App.ProjectName}', " +
                $"no release ledger in {Options.StateDir} and no database (Agent:Database); nothing was written");
        }

        return operations.Start(header, CollectKind, $"forensic bundle of {operations.HostName}{(hasDatabase ? " with a forensic database backup" : "")}", caller, async context =>
        {
            var ct = context.CancellationToken;
            var createdAt = time.GetUtcNow();
            var bundle = await context.StepAsync("bundle", $"create the bundle directory under {BundlesDir} (mode 0700)", () =>
            {
                var created = ForensicBundle.Create(BundlesDir, $"{createdAt:yyyyMMdd-HHmmss}-{header.OperationId}");
                return Task.FromResult((created, created.Path));
            });

            await context.StepAsync("env", "copy the app's env files as they are (evidence; their content is not shown)", async () =>
            {
                foreach (var (source, name) in envFiles)
                {
                    var size = await bundle.CopyAsync(source, name, ct);
                    context.Log("env", $"{source} copied to {name} ({ByteSize.Format(size)})");
                }

                return envFiles.Count == 0 ? $"no env file in {Options.App.CheckoutDir}" : $"{envFiles.Count} env file(s) copied";
            });

            var containers = await context.StepAsync("containers", $"list the containers of Compose project '{Options.App.ProjectName}' (Docker Engine API)", async () =>
            {
                var list = await runtime.ListContainersAsync(Options.App.ProjectName, ct);
                var json = JsonSerializer.SerializeToUtf8Bytes(
                    list.Select(c => new ForensicContainer(c.Name, c.ContainerId, c.Service, c.Image, c.State, c.RestartCount, c.Created, c.Labels)).ToList(),
                    ForensicsJsonContext.Default.ListForensicContainer);
                await bundle.WriteBytesAsync("containers.json", json, ct);
                return (list, $"{list.Count} container(s): {string.Join(", ", list.Select(c => $"{c.Name} ({c.State}, {c.RestartCount} restart(s))"))}");
            });

            await context.StepAsync("logs", $"the last {lines} log lines of each container", async () =>
            {
                foreach (var container in containers)
                {
                    var size = await bundle.WriteLinesAsync(Path.Combine("logs", container.Name + ".log"), LogLines(container.ContainerId, lines, ct), ct);
                    context.Log("logs", $"{container.Name}: {ByteSize.Format(size)} of log");
                }

                return $"{containers.Count} container log(s)";
            });

            await context.StepAsync("ledger", $"copy the release ledger ({ledger.Path})", async () =>
            {
                if (!File.Exists(ledger.Path))
                {
                    return "no release ledger on this host yet";
                }

                var size = await bundle.CopyAsync(ledger.Path, "ledger.jsonl", ct);
                return $"ledger.jsonl ({ByteSize.Format(size)})";
            });

            ForensicBackup? forensic = null;
            if (hasDatabase)
            {
                var backup = await writer.BackupAsync(context, BackupKind.Forensic, header);
                backup = await verifier.VerifyStepAsync(context, backup);
                forensic = new ForensicBackup(backup.Id, backup.FileName, backup.SizeBytes, backup.Sha256, backup.MigrationHead);
            }

            var manifestSha = await context.StepAsync("manifest", "write manifest.json: each file's size and sha256", async () =>
            {
                var manifest = new ForensicManifest(1, operations.HostName, header.OperationId, header.RunId, context.Info.RequestedBy, createdAt, bundle.Files, forensic);
                var sha = await bundle.WriteManifestAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, ForensicsJsonContext.Default.ForensicManifest), ct);
                return (sha, $"{bundle.Files.Count} file(s) in {bundle.Path}; manifest sha256 {sha[..12]}…");
            });

            var result = new Dictionary<string, string>
            {
                [OperationResultKeys.BundlePath] = bundle.Path,
                [OperationResultKeys.FileCount] = bundle.Files.Count.ToString(CultureInfo.InvariantCulture),
                [OperationResultKeys.ManifestSha256] = manifestSha,
            };
            if (forensic is not null)
            {
                result[OperationResultKeys.BackupId] = forensic.Id;
            }

            return result;
        });
    }

    private async IAsyncEnumerable<string> LogLines(string containerId, int lines, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (stream, line) in runtime.LogsAsync(containerId, lines, follow: false, since: null, cancellationToken))
        {
            yield return stream == "stderr" ? "[stderr] " + line : line;
        }
    }
}
