using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet releases ENV</c>: the release ledger of every host of ENV, newest first.</summary>
public sealed class ReleasesCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<EnvironmentSettings>(console)
{
    protected override async Task<int> RunAsync(EnvironmentSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var ledgers = await Task.WhenAll(environment.Hosts.Select(h => ReadAsync(agents, h, cancellationToken))).ConfigureAwait(false);
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

        return ExitCodes.Done;
    }

    private static async Task<(HostConfig Host, ListReleasesResponse Response, IReadOnlyDictionary<string, IReadOnlyList<string>> Tags)> ReadAsync(AgentPool agents, HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var releases = await agent.CallAsync(o => agent.Releases.ListAsync(new ListReleasesRequest { Limit = 50 }, o), cancellationToken).ConfigureAwait(false);
        var tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            var log = await agent.CallAsync(o => agent.Source.LogAsync(new SourceLogRequest { MaxCount = 200 }, o), cancellationToken).ConfigureAwait(false);
            foreach (var c in log.Commits.Where(c => c.Tags.Count > 0))
            {
                tags[c.Commit] = c.Tags;
            }
        }
        catch (FleetException)
        {
            // Tags are a nicety; the ledger is what matters.
        }

        return (host, releases, tags);
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
