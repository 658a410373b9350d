using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Services;

/// <summary>Stop, start and restart of the app's services, one operation each, through the Docker Engine API.</summary>
public sealed class ServiceOperations(
    OperationManager operations,
    ServiceCatalog catalog,
    IContainerRuntime runtime,
    ServiceVerifier verifier,
    GitRepository git,
    ComposeProject compose,
    TeaFleet.Agent.State.ReleaseLedger ledger,
    IOptions<AgentOptions> options)
{
    public const string StopKind = OperationKinds.ServicesStop;
    public const string StartKind = OperationKinds.ServicesStart;
    public const string RestartKind = OperationKinds.ServicesRestart;

    /// <summary>
    /// Every allowed service with its container, in configuration order ("missing" when it has none), then
    /// the project's other containers; each marked when the checkout's release does not define it.
    /// </summary>
    public async Task<IReadOnlyList<ServiceStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, cancellationToken);
        // Null when the release's services cannot be read (no checkout, compose refuses its files): no marks.
        var release = await RunningReleaseAsync(cancellationToken);

        bool NotIn(string service) => release is not null && !release.Defines(service);
        var releases = ledger.List(int.MaxValue);
        var tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var result = new List<ServiceStatus>();
        foreach (var service in catalog.Allowed.Concat(containers.Keys.Where(k => !catalog.Allowed.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal)))
        {
            if (!containers.TryGetValue(service, out var c))
            {
                result.Add(new ServiceStatus(service, "", "", "", "missing", "none", null, NotIn(service)));
                continue;
            }

            var (commit, source) = RunningRelease.Of(service, c.Image, c.Release, releases);
            if (commit.Length > 0 && !tags.ContainsKey(commit))
            {
                tags[commit] = await TagsAtAsync(commit, cancellationToken);
            }

            result.Add(new ServiceStatus(service, c.ContainerId, c.Image, commit, c.State, c.Health, c.StartedAt, NotIn(service), source,
                commit.Length > 0 ? tags[commit] : []) { RestartCount = c.RestartCount });
        }

        return result;
    }

    /// <summary>
    /// Resource use of every running container of the project (allowed services and the others alike: a
    /// runaway orphan counts too), sampled side by side so the call takes about one Docker sample (~1 s).
    /// </summary>
    public async Task<IReadOnlyList<(string Service, string ContainerId, ContainerUsage Usage)>> StatsAsync(CancellationToken cancellationToken)
    {
        var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, cancellationToken);
        var running = containers.Values.Where(c => c.State == "running").OrderBy(c => c.Service, StringComparer.Ordinal).ToList();
        var samples = await Task.WhenAll(running.Select(c => runtime.StatsAsync(c.ContainerId, cancellationToken)));
        return running.Zip(samples).Where(p => p.Second is not null).Select(p => (p.First.Service, p.First.ContainerId, p.Second!)).ToList();
    }

    /// <summary>The checkout's tags at a commit; none when git cannot tell (a commit the checkout does not have).</summary>
    private async Task<IReadOnlyList<string>> TagsAtAsync(string commit, CancellationToken cancellationToken)
    {
        try
        {
            return await git.TagsAtAsync(commit, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [];
        }
    }

    /// <summary>A service's log lines: the last tail (100 when 0, at most 10 000; of those since <paramref name="since"/> when given), then new ones while following.</summary>
    public async IAsyncEnumerable<ServiceLogLine> LogsAsync(
        string requested, int tail, bool follow, DateTimeOffset? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            throw AgentException.Invalid("logs needs a service name");
        }

        var service = catalog.Select([requested]).Single();

        var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, cancellationToken);
        if (!containers.TryGetValue(service, out var container))
        {
            throw AgentException.Precondition($"{service} has no container on {options.Value.HostName}; deploy it first");
        }

        var lines = tail > 0 ? Math.Min(tail, 10_000) : 100;
        await foreach (var (stream, line) in runtime.LogsAsync(container.ContainerId, lines, follow, since, cancellationToken))
        {
            yield return new ServiceLogLine(service, stream, line);
        }
    }

    public OperationRecord Stop(OperationHeader header, IEnumerable<string> services, string caller) =>
        Act(header, services, caller, StopKind, "stop", async (container, ct) =>
        {
            if (container.State is "exited" or "created" or "dead")
            {
                return "already stopped";
            }

            await runtime.StopAsync(container.ContainerId, options.Value.App.StopTimeoutSeconds, ct);
            return "stopped";
        }, verifyAfter: false);

    public OperationRecord Start(OperationHeader header, IEnumerable<string> services, string caller) =>
        Act(header, services, caller, StartKind, "start", async (container, ct) =>
        {
            if (container.State == "running")
            {
                return "already running";
            }

            await runtime.StartAsync(container.ContainerId, ct);
            return "started";
        }, verifyAfter: true);

    public OperationRecord Restart(OperationHeader header, IEnumerable<string> services, string caller) =>
        Act(header, services, caller, RestartKind, "restart", async (container, ct) =>
        {
            await runtime.RestartAsync(container.ContainerId, options.Value.App.StopTimeoutSeconds, ct);
            return "restarted";
        }, verifyAfter: true);

    private OperationRecord Act(
        OperationHeader header,
        IEnumerable<string> requested,
        string caller,
        string kind,
        string verb,
        Func<ContainerState, CancellationToken, Task<string>> action,
        bool verifyAfter)
    {
        var existing = operations.TryAttach(header, kind);
        if (existing is not null)
        {
            return existing;
        }

        var named = catalog.Select(requested, []);
        var configured = named.Count > 0 ? named : catalog.ReleaseDefault;
        return operations.Start(header, kind, string.Join(",", configured), caller, async context =>
        {
            var ct = context.CancellationToken;
            // The running release decides what "the release services" are: none it does not define, and
            // no one-shot (a migrator is not stopped, started or restarted with the app; it ran at the switch).
            var release = await RunningReleaseAsync(ct);
            var services = named.Count > 0 || release is null
                ? configured
                : configured.Where(s => release.Defines(s) && !release.IsOneShot(s)).ToList();
            var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, ct);
            foreach (var service in services)
            {
                await context.StepAsync($"{verb} {service}", $"{verb} {service}", async () =>
                {
                    if (!containers.TryGetValue(service, out var container))
                    {
                        throw new InvalidOperationException($"{service} has no container on this host; deploy it first (teafleet deploy)");
                    }

                    return await action(container, ct);
                });
            }

            services = services.Where(s => release is null || !release.IsOneShot(s)).ToList();
            if (verifyAfter && services.Count > 0)
            {
                await context.StepAsync("verify", "wait for the services to run and be healthy", () =>
                    verifier.VerifyAsync(services, null, TimeSpan.FromSeconds(options.Value.App.VerifyTimeoutSeconds), line => context.Log("verify", line), ct));
            }

            return null;
        });
    }

    /// <summary>The service set of the checkout's release; null when it cannot be read (then the configuration alone decides).</summary>
    private async Task<ReleaseServiceSet?> RunningReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await compose.ServicesAtAsync(await git.HeadAsync(cancellationToken), cancellationToken);
        }
        catch (AgentException)
        {
            return null;
        }
    }
}
