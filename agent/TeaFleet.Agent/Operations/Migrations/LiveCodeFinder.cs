using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>Finds the code whose Alembic runs on this host (see LiveAsync).</summary>
public sealed class LiveCodeFinder(
    GitRepository git,
    ComposeProject compose,
    IContainerRuntime runtime,
    PostgresDatabase database,
    ReleaseLedger ledger,
    Alembic alembic,
    IOptions<AgentOptions> options)
{
    private AgentOptions Options => options.Value;

    /// <summary>What the Migrations service refuses with on a host that runs no migrations.</summary>
    public void EnsureConfigured()
    {
        if (!Options.Migrations.Configured)
        {
            throw AgentException.Precondition(
                $"host {Options.HostName} runs no migrations (Agent:Migrations:Command is not set); run them on the environment's database host");
        }

        database.EnsureConfigured();
    }

    /// <summary>
    /// The code whose Alembic runs: the checkout's commit (the live release); but when the database is
    /// at a revision that code does not know (a switch to older code failed after newer code migrated
    /// it), the newest succeeded release whose scripts know that revision and whose image is kept —
    /// the release that migrated it, the only one that can revert it.
    /// </summary>
    public async Task<LiveCode> LiveAsync(CancellationToken ct)
    {
        var commit = await git.HeadAsync(ct);
        var live = await CodeAsync(commit, ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        if (dbHeads.Count != 1 || live.Graph.Contains(dbHeads[0]))
        {
            return live;
        }

        foreach (var other in ledger.RecentCommits(Options.App.KeepReleases).Where(c => c != commit))
        {
            MigrationGraph graph;
            try
            {
                graph = await alembic.GraphAsync(other, ct);
            }
            catch (AgentException)
            {
                continue;
            }

            if (graph.Contains(dbHeads[0]) && await CodeAsync(other, ct) is { ImagePresent: true } migrated)
            {
                return migrated;
            }
        }

        return live;
    }

    /// <summary>A commit or tag of the app's checkout as a full commit; null when the checkout has no such commit or tag.</summary>
    public Task<string?> ResolveAsync(string reference, CancellationToken ct) => git.ResolveAsync(reference, ct);

    /// <summary>A release's code: its migration graph (its scripts, through git), and the migrations' service's image at it and whether the host has it.</summary>
    public async Task<LiveCode> CodeAsync(string commit, CancellationToken ct)
    {
        var graph = await alembic.GraphAsync(commit, ct);
        var service = Options.Migrations.Service;
        var image = (await compose.ServicesAtAsync(commit, ct)).Find(service) is { Image.Length: > 0 } definition
            ? definition.Image
            : throw AgentException.Precondition($"the compose files at {GitRefs.Short(commit)} give the migrations' service {service} (Agent:Migrations:Service) no image");
        return new LiveCode(commit, graph, image, await runtime.ImageExistsAsync(image, ct));
    }
}
