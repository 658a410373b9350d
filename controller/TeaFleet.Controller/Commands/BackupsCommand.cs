using System.Globalization;
using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet backups ENV [--verify ID | --prune [--dry-run]]</c>: the backup catalogue of the
/// environment's database host, newest first; or one verification; or a retention prune.
/// </summary>
public sealed class BackupsCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<BackupsSettings>(console)
{
    protected override async Task<int> RunAsync(BackupsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var host = environment.DatabaseHost;
        var agent = agents.Get(host);
        if (settings.Verify is not null || settings.Prune)
        {
            return await OneOperationAsync(agent, settings, output, cancellationToken).ConfigureAwait(false);
        }

        var response = await agent.CallAsync(o => agent.Database.ListBackupsAsync(new ListBackupsRequest(), o), cancellationToken).ConfigureAwait(false);
        if (output.IsJson)
        {
            foreach (var b in response.Backups)
            {
                output.Json(new
                {
                    type = "backup",
                    host = host.Name,
                    id = b.Id,
                    taken_at = b.TakenAt?.ToDateTimeOffset(),
                    kind = BackupKinds.Name(b.Kind),
                    format = b.Format == BackupFormat.PlainGzip ? "plain-gzip" : "custom",
                    size_bytes = b.SizeBytes,
                    sha256 = b.Sha256,
                    release_commit = b.ReleaseCommit,
                    migration_head = b.MigrationHead,
                    verify_state = Verify(b.VerifyState),
                    verified_at = b.VerifiedAt?.ToDateTimeOffset(),
                    verify_message = b.VerifyMessage,
                    file = b.FileName,
                    requested_by = b.RequestedBy,
                    reason = b.Reason,
                });
            }

            output.Json(new { type = "backup_dir", host = host.Name, dir = response.BackupDir, free_bytes = response.FreeBytes });
            return ExitCodes.Done;
        }

        output.Line($"[bold]{CommandOutput.Esc(host.Name)}[/] {CommandOutput.Esc(response.BackupDir)} ({Bytes(response.FreeBytes)} free), newest first");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Id").AddColumn("Taken (UTC)").AddColumn("Kind").AddColumn("Size").AddColumn("Release").AddColumn("Alembic head").AddColumn("Verified");
        foreach (var b in response.Backups)
        {
            table.AddRow(
                CommandOutput.Esc(b.Id),
                b.TakenAt?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                BackupKinds.Name(b.Kind),
                Bytes(b.SizeBytes),
                b.ReleaseCommit.Length > 0 ? GitRefs.Short(b.ReleaseCommit) : "-",
                CommandOutput.Esc(b.MigrationHead.Length > 0 ? b.MigrationHead : "-"),
                b.VerifyState switch
                {
                    VerifyState.Verified => "[green]yes[/]",
                    VerifyState.Failed => $"[red]FAILED[/] {CommandOutput.Esc(b.VerifyMessage)}",
                    _ => "not yet",
                });
        }

        output.Console.Write(table);
        if (response.Backups.Count == 0)
        {
            output.Line($"No backups yet: take one with 'teafleet backup {environment.Name}'.");
        }

        return ExitCodes.Done;
    }

    private async Task<int> OneOperationAsync(AgentConnection agent, BackupsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var operationId = $"{(settings.Prune ? "prune" : "verify")}-{timeProvider.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var header = new OperationHeader { OperationId = operationId, RequestedBy = Who(settings.Prune ? "prune" : "verify") };
        var follower = new OperationFollower(timeProvider);
        var final = await follower.RunAsync(
            agent,
            operationId,
            options => settings.Prune
                ? agent.Database.PruneBackups(new PruneBackupsRequest { Header = header, DryRun = settings.DryRun }, options)
                : agent.Database.VerifyBackup(new VerifyBackupRequest { Header = header, BackupId = settings.Verify }, options),
            e =>
            {
                if (output.IsJson)
                {
                    output.Json(new { type = "event", host = agent.Host.Name, operation_id = e.OperationId, sequence = e.Sequence, phase = AgentStepExecutor.PhaseName(e.Phase), step = e.Step, message = e.Message });
                }
                else if (e.Phase != OperationPhase.Progress)
                {
                    output.Plain($"{e.Time?.ToDateTimeOffset():HH:mm:ss} {AgentStepExecutor.PhaseName(e.Phase),-9} {e.Step,-8} {e.Message}");
                }

                return ValueTask.CompletedTask;
            },
            _ => ValueTask.CompletedTask,
            cancellationToken).ConfigureAwait(false);
        return final.Phase == OperationPhase.Succeeded ? ExitCodes.Done : ExitCodes.OperationFailed;
    }

    private static string Verify(VerifyState state) => state switch
    {
        VerifyState.Verified => "verified",
        VerifyState.Failed => "failed",
        _ => "unverified",
    };

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
