using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>
/// Switches services to a release (deploy or rollback): checkout, reuse the release's kept images or
/// build them, recreate exactly those services, verify, record in the ledger, prune old images.
/// </summary>
public sealed class ReleaseSwitcher(
    OperationManager operations,
    ServiceCatalog catalog,
    GitRepository git,
    ComposeProject compose,
    IContainerRuntime runtime,
    ServiceVerifier verifier,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options,
    ILogger<ReleaseSwitcher> logger)
{
    public const string Kind = OperationKinds.ServicesRecreate;

    /// <summary>A stand-in commit that reveals each service's image repository from the compose file.</summary>
    private const string ProbeCommit = "0000000000000000000000000000000000000000";

    public async Task<OperationRecord> RecreateAsync(ReleaseSwitchRequest request, string caller, CancellationToken cancellationToken)
    {
        var existing = operations.TryAttach(request.Header, Kind);
        if (existing is not null)
        {
            return existing;
        }

        var services = catalog.Select(request.Services, catalog.ReleaseDefault);
        if (string.IsNullOrWhiteSpace(request.Commit))
        {
            throw AgentException.Invalid("recreate needs the commit (or tag) of the release to switch to");
        }

        var commit = await git.ResolveAsync(request.Commit.Trim(), cancellationToken)
            ?? throw AgentException.NotFound(
                $"the app checkout on {options.Value.HostName} has no commit or tag '{request.Commit}'; check the id (teafleet releases) or fetch the code first");
        var kind = string.IsNullOrEmpty(request.Kind) ? "deploy" : request.Kind;
        if (kind is not ("deploy" or "rollback"))
        {
            throw AgentException.Invalid($"release kind '{request.Kind}' is not known; use deploy or rollback");
        }

        var timeout = TimeSpan.FromSeconds(request.VerifyTimeoutSeconds > 0 ? request.VerifyTimeoutSeconds : options.Value.App.VerifyTimeoutSeconds);
        var summary = $"{string.Join(",", services)} @ {GitRefs.Short(commit)}";
        return operations.Start(request.Header, Kind, summary, caller, context => SwitchAsync(context, request, services, commit, kind, timeout));
    }

    /// <summary>The release's Alembic head(s), read from its own migration scripts; empty when App:MigrationsPath is not set.</summary>
    private async Task<string> MigrationHeadAsync(string commit, CancellationToken ct)
    {
        var path = options.Value.App.MigrationsPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }

        var scripts = await git.ReadDirectoryAsync(commit, path, ct);
        try
        {
            return string.Join(",", MigrationGraph.Parse(scripts.Where(s => s.Name.EndsWith(".py", StringComparison.Ordinal))).Heads);
        }
        catch (InvalidDataException)
        {
            // Scripts Alembic itself would refuse: the release still switches; its head is unknown.
            return "";
        }
    }

    private async Task<IReadOnlyDictionary<string, string>?> SwitchAsync(
        OperationContext context, ReleaseSwitchRequest request, IReadOnlyList<string> services, string commit, string kind, TimeSpan timeout)
    {
        var ct = context.CancellationToken;
        var previous = await git.HeadAsync(ct);
        var release = ledger.Begin(new Release
        {
            Commit = commit,
            Kind = kind,
            Services = services,
            RequestedBy = context.Info.RequestedBy,
            Reason = request.Header.Reason,
            OperationId = context.OperationId,
            RunId = request.Header.RunId,
            PreviousCommit = previous,
            MigrationHead = await MigrationHeadAsync(commit, ct),
        });

        var built = false;
        try
        {
            await context.StepAsync("checkout", $"check out {GitRefs.Short(commit)}", async () =>
            {
                if (previous == commit)
                {
                    return $"already at {GitRefs.Short(commit)}";
                }

                var changes = await git.ChangesAsync(ct);
                if (changes.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"the checkout has local changes ({string.Join(", ", changes.Take(5))}); commit or discard them on the host, then run again");
                }

                await git.CheckoutAsync(commit, line => context.Log("checkout", line), ct);
                return $"{GitRefs.Short(previous)} → {GitRefs.Short(commit)}";
            });

            var images = compose.ImagesFor(commit, services);
            built = await context.StepAsync("images", "reuse the release's kept images or build them", async () =>
            {
                var missing = new List<string>();
                foreach (var (service, image) in images)
                {
                    if (request.ForceBuild || request.NoCache || !await runtime.ImageExistsAsync(image, ct))
                    {
                        missing.Add(service);
                    }
                }

                if (missing.Count == 0)
                {
                    return (false, $"reusing kept images: {string.Join(", ", images.Values)}");
                }

                context.Log("images", $"building {string.Join(", ", missing)}" + (request.NoCache ? " without cache" : ""));
                await compose.BuildAsync(commit, missing, request.NoCache, line => context.Log("images", line), ct);
                return (true, $"built {string.Join(", ", missing.Select(s => images[s]))}");
            });

            await context.StepAsync("recreate", $"recreate {string.Join(", ", services)}", async () =>
            {
                await compose.UpAsync(commit, services, line => context.Log("recreate", line), ct);
                return $"recreated {string.Join(", ", services)}";
            });

            await context.StepAsync("verify", "wait for the services to run and be healthy", () =>
                verifier.VerifyAsync(services, images, timeout, line => context.Log("verify", line), ct));

            release = ledger.Finish(release.Id, ReleaseResult.Succeeded, $"{kind} of {string.Join(",", services)} to {GitRefs.Short(commit)} succeeded", r => r with
            {
                Images = new Dictionary<string, string>(images),
                Built = built,
            });
        }
        catch (Exception ex)
        {
            ledger.Finish(release.Id, ReleaseResult.Failed, ex.Message, r => r with { Images = SafeImages(commit, services) });
            throw;
        }

        await PruneAsync(context, ct);
        return new Dictionary<string, string>
        {
            ["release_id"] = release.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["commit"] = commit,
            ["previous_commit"] = previous,
            ["built"] = built ? "true" : "false",
        };
    }

    /// <summary>Keeps the images of the last N releases; removes older release tags of the app's image repositories.</summary>
    private async Task PruneAsync(OperationContext context, CancellationToken ct)
    {
        try
        {
            var keep = ledger.RecentCommits(options.Value.App.KeepReleases).ToHashSet(StringComparer.Ordinal);
            var removed = new List<string>();
            foreach (var service in catalog.Allowed)
            {
                IReadOnlyDictionary<string, string> images;
                try
                {
                    images = compose.ImagesFor(ProbeCommit, [service]);
                }
                catch (AgentException)
                {
                    continue;
                }

                var reference = images[service];
                var repository = reference[..reference.LastIndexOf(':')];
                foreach (var tag in await runtime.ImageTagsAsync(repository, ct))
                {
                    if (GitRefs.IsFullCommit(tag) && !keep.Contains(tag) && await runtime.RemoveImageAsync($"{repository}:{tag}", ct))
                    {
                        removed.Add($"{repository}:{GitRefs.Short(tag)}");
                    }
                }
            }

            context.Log("prune", removed.Count == 0
                ? $"keeping the images of the last {keep.Count} release(s)"
                : $"removed images of releases older than the last {keep.Count}: {string.Join(", ", removed)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Pruning is housekeeping: it never fails a switch that worked.
            logger.LogWarning(ex, "Pruning old release images failed");
            context.Log("prune", "could not prune old images: " + ex.Message);
        }
    }

    private Dictionary<string, string> SafeImages(string commit, IReadOnlyList<string> services)
    {
        try
        {
            return new Dictionary<string, string>(compose.ImagesFor(commit, services));
        }
        catch (AgentException)
        {
            return [];
        }
    }
}
