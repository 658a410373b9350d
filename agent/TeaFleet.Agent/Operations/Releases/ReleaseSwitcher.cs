using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>
/// Switches services to a release (deploy or rollback), by the release's own service set (compose
/// config at the commit): checkout, reuse the release's kept images or build them, remove the services
/// the release does not define (never data services), run its one-shots to completion, recreate the
/// services that keep running, verify them, record in the ledger, prune old images.
/// </summary>
public sealed class ReleaseSwitcher(
    OperationManager operations,
    ServiceCatalog catalog,
    GitRepository git,
    ComposeProject compose,
    IContainerRuntime runtime,
    ServiceVerifier verifier,
    RollingHandover rolling,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<ReleaseSwitcher> logger)
{
    public const string Kind = OperationKinds.ServicesRecreate;

    public async Task<OperationRecord> RecreateAsync(ReleaseSwitchRequest request, string caller, CancellationToken cancellationToken)
    {
        var existing = operations.TryAttach(request.Header, Kind);
        if (existing is not null)
        {
            return existing;
        }

        var named = catalog.Select(request.Services, []);
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

        // Everything that can be told from the release's own compose files is checked before the
        // operation starts: nothing has changed when it is refused (no checkout, no lock taken).
        var target = await compose.ServicesAtAsync(commit, cancellationToken);
        var release = request.Commit.Trim() == commit ? GitRefs.Short(commit) : $"{request.Commit.Trim()} ({GitRefs.Short(commit)})";
        var plan = ServiceSwitch.Decide(target, named, catalog.ReleaseDefault, catalog.DataServices, compose.CannotSwitch, release);
        var missingImages = await ServiceSwitch.MissingFixedImagesAsync(target, plan.Services, runtime.ImageExistsAsync, cancellationToken);
        if (missingImages.Count > 0)
        {
            throw AgentException.Precondition($"cannot switch to {release}: {string.Join("; ", missingImages)}");
        }

        var timeout = TimeSpan.FromSeconds(request.VerifyTimeoutSeconds > 0 ? request.VerifyTimeoutSeconds : options.Value.App.VerifyTimeoutSeconds);
        var summary = $"{string.Join(",", plan.Services)} @ {GitRefs.Short(commit)}";
        return operations.Start(request.Header, Kind, summary, caller, context => SwitchAsync(context, request, plan, target, commit, kind, timeout));
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
        OperationContext context, ReleaseSwitchRequest request, ServiceSwitch plan, ReleaseServiceSet target, string commit, string kind, TimeSpan timeout)
    {
        var ct = context.CancellationToken;
        var services = plan.Services;
        var previous = await git.HeadAsync(ct);
        var images = services.ToDictionary(s => s, s => target.Find(s)!.Image, StringComparer.Ordinal);
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
            MigrationService = target.MigrationService,
        });

        var built = false;
        var removed = new List<string>();

        // Stand-ins of handed-over services, removed beside the verify and the pruning (off the traffic's path);
        // every one is awaited before the switch ends, whatever its outcome.
        var retiring = new List<Task>();
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

            built = await context.StepAsync("images", "reuse the release's kept images or build them", async () =>
            {
                var missing = new List<string>();
                foreach (var (service, image) in images)
                {
                    var canBuild = target.Find(service)!.HasBuild;
                    if ((canBuild && (request.ForceBuild || request.NoCache)) || !await runtime.ImageExistsAsync(image, ct))
                    {
                        if (!canBuild)
                        {
                            // A fixed upstream tag is never built: it must be on the host already.
                            throw new InvalidOperationException(
                                $"image {image} of {service} is not on this host and {service} has no build: at this release; pull or load it (docker pull {image}), then run again");
                        }

                        missing.Add(service);
                    }
                }

                if (missing.Count == 0)
                {
                    return (false, $"reusing kept images: {string.Join(", ", images.Values.Distinct())}");
                }

                context.Log("images", $"building {string.Join(", ", missing)}" + (request.NoCache ? " without cache" : ""));
                await compose.BuildAsync(commit, missing, request.NoCache, line => context.Log("images", line), ct);
                return (true, $"built {string.Join(", ", missing.Select(s => images[s]))}");
            });

            await context.StepAsync("remove", "remove the services this release does not define", async () =>
            {
                var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, ct);
                foreach (var service in ServiceSwitch.Orphans(target, containers.Keys, catalog.DataServices))
                {
                    var container = containers[service];
                    if (container.State is not ("exited" or "created" or "dead"))
                    {
                        await runtime.StopAsync(container.ContainerId, options.Value.App.StopTimeoutSeconds, ct);
                    }

                    await runtime.RemoveContainerAsync(container.ContainerId, ct);
                    context.Log("remove", $"removed {service} ({container.Image}): not defined at {GitRefs.Short(commit)}");
                    removed.Add(service);
                }

                return removed.Count == 0 ? "none to remove" : $"removed {string.Join(", ", removed)}";
            });

            foreach (var oneShot in plan.OneShots)
            {
                await context.StepAsync($"run {oneShot}", $"run the one-shot {oneShot} to completion (exit 0)", () => RunOneShotAsync(context, commit, oneShot, ct));
            }

            if (plan.LongRunning.Count > 0)
            {
                // Services that can be handed over without a gap are, one by one (their proxy is not recreated
                // in this switch); the others are recreated together.
                var handedOver = new List<string>();
                foreach (var service in plan.LongRunning)
                {
                    if (rolling.Of(service) is { } config && !plan.LongRunning.Contains(config.Proxy, StringComparer.Ordinal))
                    {
                        var why = await rolling.CannotRollAsync(target, service, ct);
                        if (why is null)
                        {
                            var step = $"hand over {service}";
                            await context.StepAsync(step, $"hand {service} over with no gap: a stand-in on {config.StandInPort} behind {config.Proxy} while it is recreated on {config.Port}", () =>
                                rolling.HandOverAsync(context, step, commit, config, timeout, ct));
                            handedOver.Add(service);
                            var retire = $"remove {service}'s stand-in";
                            retiring.Add(context.StepAsync(retire, $"stop and remove the stand-in of {service} ({config.Proxy} is back on {config.Port})", () =>
                                rolling.RetireStandInAsync(context, retire, config, ct)));
                        }
                        else
                        {
                            context.Log("recreate", $"{service} is recreated, not handed over: {why}");
                        }
                    }
                }

                var recreated = plan.LongRunning.Except(handedOver, StringComparer.Ordinal).ToList();
                if (recreated.Count > 0)
                {
                    await context.StepAsync("recreate", $"recreate {string.Join(", ", recreated)}", async () =>
                    {
                        await compose.UpAsync(commit, recreated, line => context.Log("recreate", line), ct);
                        return $"recreated {string.Join(", ", recreated)}";
                    });
                }

                // One-shots have exited 0 above; only the services that keep running are waited for.
                await context.StepAsync("verify", "wait for the services to run and be healthy", () =>
                    verifier.VerifyAsync(plan.LongRunning, images, timeout, line => context.Log("verify", line), ct));
            }

            release = ledger.Finish(release.Id, ReleaseResult.Succeeded, $"{kind} of {string.Join(",", services)} to {GitRefs.Short(commit)} succeeded", r => r with
            {
                Images = new Dictionary<string, string>(images),
                Built = built,
                Removed = removed,
            });
        }
        catch (Exception ex)
        {
            ledger.Finish(release.Id, ReleaseResult.Failed, ex.Message, r => r with { Images = new Dictionary<string, string>(images), Removed = removed });
            await SettleAsync(retiring);
            throw;
        }

        await PruneAsync(context, target, ct);
        await Task.WhenAll(retiring);
        return new Dictionary<string, string>
        {
            ["release_id"] = release.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["commit"] = commit,
            ["previous_commit"] = previous,
            ["built"] = built ? "true" : "false",
            ["services"] = string.Join(",", services),
            ["removed"] = string.Join(",", removed),
            ["one_shots"] = string.Join(",", plan.OneShots),
            ["migration_service"] = target.MigrationService,
        };
    }

    /// <summary>Waits for every stand-in's removal before a failed switch ends; their failures are their own steps' (cancellation, at most).</summary>
    private static async Task SettleAsync(List<Task> retiring)
    {
        try
        {
            await Task.WhenAll(retiring);
        }
        catch (Exception ex) when (ex is OperationCanceledException or StepFailedException)
        {
            // Reported by the step itself; the switch's own failure is the one that ends it.
        }
    }

    /// <summary>A one-shot, attached, until it exits: 0 succeeds; otherwise the step fails with its last lines.</summary>
    private async Task<string> RunOneShotAsync(OperationContext context, string commit, string service, CancellationToken ct)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.App.OneShotTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        var step = $"run {service}";
        try
        {
            await compose.RunToCompletionAsync(commit, service, line => context.Log(step, line), linked.Token);
            return $"{service} ran to completion (exit 0)";
        }
        catch (ProcessFailedException ex)
        {
            throw new InvalidOperationException(
                $"the one-shot {service} failed (exit {ex.Result.ExitCode}); its last lines: {string.Join(" | ", ex.Result.Tail.TakeLast(10))}");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"the one-shot {service} did not finish within {options.Value.App.OneShotTimeoutSeconds} s (App:OneShotTimeoutSeconds)");
        }
    }

    /// <summary>
    /// Keeps the images of the last N releases; removes older release tags of the app's image
    /// repositories (those of the release-tagged images at this release and in the ledger).
    /// </summary>
    private async Task PruneAsync(OperationContext context, ReleaseServiceSet target, CancellationToken ct)
    {
        try
        {
            var keep = ledger.RecentCommits(options.Value.App.KeepReleases).ToHashSet(StringComparer.Ordinal);
            var repositories = target.Names.Where(target.IsReleaseTagged).Select(s => target.Find(s)!.Image)
                .Concat(ledger.List(int.MaxValue).SelectMany(r => r.Images.Values.Where(i => i.EndsWith(":" + r.Commit, StringComparison.Ordinal))))
                .Where(i => i.LastIndexOf(':') > 0)
                .Select(i => i[..i.LastIndexOf(':')])
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var removed = new List<string>();
            foreach (var repository in repositories)
            {
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
}
