using System.Globalization;
using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;
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
            return await VerifyOrPruneAsync(inventory, environment, agents, settings, output, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A verification or a prune is a run like a backup: journaled (what was deleted, by whom, why), with live progress.</summary>
    private async Task<int> VerifyOrPruneAsync(FleetInventory inventory, EnvironmentConfig environment, AgentPool agents, BackupsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var plan = settings.Prune ? Planner.PlanPrune(environment, settings.DryRun) : Planner.PlanVerify(environment, settings.Verify!);
        PlanPrinter.Print(output, plan);
        var command = settings.Prune ? "prune" : "verify";
        var driver = new RunDriver(inventory, agents, timeProvider, output);
        return await driver.StartAsync(plan, Who(command), new RunFlags(inventory.Path, true, false, settings.Reason, null, command), hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }

    private static string Verify(VerifyState state) => state switch
    {
        VerifyState.Verified => "verified",
        VerifyState.Failed => "failed",
        _ => "unverified",
    };

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
