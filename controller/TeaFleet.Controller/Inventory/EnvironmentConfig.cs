namespace TeaFleet.Controller.Inventory;

/// <summary>An environment (staging, production) with its hosts and health URLs.</summary>
public sealed record EnvironmentConfig(
    string Name,
    IReadOnlyList<Uri> HealthUrls,
    IReadOnlyList<HostConfig> Hosts,
    bool DrillRequired,
    string? StagingFor,
    string DatabaseHostName,
    SmokeConfig? Smoke = null,
    IReadOnlyDictionary<Uri, string>? HealthUrlServices = null)
{
    /// <summary>The host that runs the environment's PostgreSQL ('database:' in the inventory; the first host by default).</summary>
    public HostConfig DatabaseHost => Hosts.First(h => h.Name == DatabaseHostName);

    /// <summary>Which services play the runbook's backend, frontend and worker ('roles:' in the inventory; by default the services of those names).</summary>
    public ServiceRoles Roles { get; init; } = ServiceRoles.Default;

    /// <summary>How a Type 2 rollback stops traffic ('traffic:' in the inventory; stop by default).</summary>
    public TrafficOption Traffic { get; init; } = TrafficOption.Stop;
    /// <summary>The watch after a rollback ('monitor:' in the inventory; the runbook's 10 minutes by default).</summary>
    public MonitorConfig Monitor { get; init; } = MonitorConfig.Default;

    /// <summary>Production-like: needs the drill gate and a confirmation.</summary>
    public bool IsGated => DrillRequired || Name is "production" or "prod";

    /// <summary>The health URLs that point at <paramref name="host"/> (same host part as its agent address).</summary>
    public IReadOnlyList<Uri> HealthUrlsOf(HostConfig host, IReadOnlyCollection<string>? services = null) =>
        HealthUrlsWhere(services).Where(u => string.Equals(u.Host, host.Address.Host, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// The health URLs that apply where <paramref name="services"/> are the release's services: a URL the
    /// inventory gives a service ('{ url: ..., service: NAME }') only where that service exists; every URL when not known (null).
    /// </summary>
    public IReadOnlyList<Uri> HealthUrlsWhere(IReadOnlyCollection<string>? services) =>
        services is null || HealthUrlServices is null
            ? HealthUrls
            : HealthUrls.Where(u => !HealthUrlServices.TryGetValue(u, out var service) || services.Contains(service)).ToList();
}
