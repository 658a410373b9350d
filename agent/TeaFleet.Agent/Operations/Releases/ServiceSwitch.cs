using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>
/// Which services a switch to a release touches, decided from the release's own service set before
/// anything changes: <see cref="Services"/> in start order, split into the one-shots run to completion
/// first (<see cref="OneShots"/>) and the services recreated and verified (<see cref="LongRunning"/>).
/// </summary>
public sealed record ServiceSwitch(IReadOnlyList<string> Services, IReadOnlyList<string> OneShots, IReadOnlyList<string> LongRunning)
{
    /// <summary>
    /// Named services: each must exist at the target (else bad input). None named: the configured release
    /// services the target defines, plus every service the target defines beyond the data services (the
    /// configured services that are not release services), e.g. a worker or a migrator that the release
    /// adds. Either way the one-shots a chosen service depends on are added, and every chosen service must
    /// have an image (or a build): else the switch is refused before it starts.
    /// </summary>
    public static ServiceSwitch Decide(
        ReleaseServiceSet target,
        IReadOnlyList<string> named,
        IReadOnlyList<string> releaseServices,
        IReadOnlyCollection<string> dataServices,
        Func<ReleaseServiceSet, string, string?> cannotSwitch,
        string release)
    {
        IReadOnlyList<string> chosen;
        if (named.Count > 0)
        {
            var missing = named.Where(n => !target.Defines(n)).ToList();
            if (missing.Count > 0)
            {
                throw AgentException.Invalid(
                    $"service{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} do{(missing.Count > 1 ? "" : "es")} not exist at {release}: its compose files define {string.Join(", ", target.Names)}");
            }

            chosen = named;
        }
        else
        {
            // The configured release services first, in configuration order, then what the target adds.
            chosen = releaseServices.Where(target.Defines)
                .Concat(target.Names.Where(n => !releaseServices.Contains(n, StringComparer.Ordinal) && !dataServices.Contains(n, StringComparer.Ordinal)))
                .ToList();
        }

        var services = target.WithOneShotDependencies(chosen);
        var problems = services.Select(s => cannotSwitch(target, s)).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw AgentException.Precondition($"cannot switch to {release}: {string.Join("; ", problems)}");
        }

        return new ServiceSwitch(services, services.Where(target.IsOneShot).ToList(), services.Where(s => !target.IsOneShot(s)).ToList());
    }

    /// <summary>
    /// The chosen services whose image is a fixed upstream tag (no <c>build:</c>) that is not on this host:
    /// a switch never builds or pulls those, so it cannot succeed until someone pulls or loads them.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MissingFixedImagesAsync(
        ReleaseServiceSet target, IEnumerable<string> services, Func<string, CancellationToken, Task<bool>> imageExists, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var service in services)
        {
            var definition = target.Find(service);
            if (definition is { HasBuild: false } && !string.IsNullOrEmpty(definition.Image) && !await imageExists(definition.Image, cancellationToken))
            {
                problems.Add($"image {definition.Image} of {service} is not on this host and {service} has no build: (a fixed tag is never built); pull or load it (docker pull {definition.Image}), then run again");
            }
        }

        return problems;
    }

    /// <summary>
    /// The project's services with a container that the release does not define: removed by the switch,
    /// except data services, which are never removed.
    /// </summary>
    public static IReadOnlyList<string> Orphans(ReleaseServiceSet target, IEnumerable<string> withContainers, IReadOnlyCollection<string> dataServices) =>
        withContainers.Where(s => !target.Defines(s) && !dataServices.Contains(s, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
