using System.Globalization;
using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints the backup catalogue of a database host, newest first: a table, or one <c>backup</c> object per backup and a <c>backup_dir</c> object with --json.</summary>
public static class BackupsPrinter
{
    public static void Print(CommandOutput output, string hostName, string environmentName, ListBackupsResponse response)
    {
        if (output.IsJson)
        {
            foreach (var b in response.Backups)
            {
                output.Json(new
                {
                    type = "backup",
                    host = hostName,
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

            output.Json(new { type = "backup_dir", host = hostName, dir = response.BackupDir, free_bytes = response.FreeBytes });
            return;
        }

        output.Line($"[bold]{CommandOutput.Esc(hostName)}[/] {CommandOutput.Esc(response.BackupDir)} ({Bytes(response.FreeBytes)} free), newest first");
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
            output.Line($"No backups yet: take one with 'teafleet backup {environmentName}'.");
        }
    }

    private static string Verify(VerifyState state) => state switch
    {
        VerifyState.Verified => "verified",
        VerifyState.Failed => "failed",
        _ => "unverified",
    };

    private static string Bytes(long bytes) => ByteSize.Format(bytes);
}
