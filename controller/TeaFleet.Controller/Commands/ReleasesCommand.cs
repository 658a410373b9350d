using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;

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
        ReleasesPrinter.Print(output, ledgers);
        return ExitCodes.Done;
    }

    private static async Task<HostReleases> ReadAsync(AgentPool agents, HostConfig host, CancellationToken cancellationToken)
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

        return new HostReleases(host, releases, tags);
    }
}
