using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints each host's release ledger, newest first: a table per host, or one <c>release</c> object per release with --json.</summary>
public static class ReleasesPrinter
{
    public static void Print(CommandOutput output, IReadOnlyList<HostReleases> ledgers)
    {
        foreach (var (host, response, tags) in ledgers)
        {
            if (output.IsJson)
            {
                foreach (var r in response.Releases)
                {
                    output.Json(new
                    {
                        type = "release",
                        host = host.Name,
                        id = r.Id,
                        commit = r.Commit,
                        tags = tags.TryGetValue(r.Commit, out var t) ? t : [],
                        kind = r.Kind,
                        services = r.Services,
                        result = Result(r.Result),
                        current = r.Commit == response.CurrentCommit && r == response.Releases.FirstOrDefault(x => x.Result == ReleaseResult.Succeeded),
                        started_at = r.StartedAt?.ToDateTimeOffset(),
                        ended_at = r.EndedAt?.ToDateTimeOffset(),
                        duration_ms = r.StartedAt is not null && r.EndedAt is not null ? (long?)(r.EndedAt.ToDateTimeOffset() - r.StartedAt.ToDateTimeOffset()).TotalMilliseconds : null,
                        requested_by = r.RequestedBy,
                        reason = r.Reason,
                        operation_id = r.OperationId,
                        run_id = r.RunId,
                        previous_commit = r.PreviousCommit,
                        built = r.Built,
                        migration_head = r.MigrationHead,
                        message = r.Message,
                    });
                }

                continue;
            }

            output.Line($"[bold]{CommandOutput.Esc(host.Name)}[/] current {(response.CurrentCommit.Length > 0 ? GitRefs.Short(response.CurrentCommit) : "(none)")}");
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("Id").AddColumn("Commit").AddColumn("Kind").AddColumn("Services").AddColumn("Result").AddColumn("Alembic head").AddColumn("Started").AddColumn("Duration").AddColumn("Who");
            foreach (var r in response.Releases)
            {
                var tagText = tags.TryGetValue(r.Commit, out var t) && t.Count > 0 ? $" ({string.Join(", ", t)})" : "";
                var duration = r.StartedAt is not null && r.EndedAt is not null ? $"{(r.EndedAt.ToDateTimeOffset() - r.StartedAt.ToDateTimeOffset()).TotalSeconds:0.0} s" : "-";
                table.AddRow(
                    r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CommandOutput.Esc(GitRefs.Short(r.Commit) + tagText),
                    CommandOutput.Esc(r.Kind),
                    CommandOutput.Esc(Plans.PlanStep.ServicesText(r.Services)),
                    CommandOutput.Esc(Result(r.Result)),
                    CommandOutput.Esc(r.MigrationHead.Length > 0 ? r.MigrationHead : "-"),
                    r.StartedAt?.ToDateTimeOffset().ToString("u") ?? "-",
                    duration,
                    CommandOutput.Esc(r.RequestedBy));
            }

            output.Console.Write(table);
        }
    }

    private static string Result(ReleaseResult result) => result switch
    {
        ReleaseResult.InProgress => "in progress",
        ReleaseResult.Succeeded => "succeeded",
        ReleaseResult.Failed => "failed",
        ReleaseResult.Interrupted => "interrupted",
        _ => "unknown",
    };
}
