namespace TeaFleet.Controller.Inventory;

/// <summary>An environment (staging, production) with its hosts and health URLs.</summary>
public sealed record EnvironmentConfig(
    string Name,
    IReadOnlyList<Uri> HealthUrls,
    IReadOnlyList<HostConfig> Hosts,
    bool DrillRequired,
    string? StagingFor,
    string DatabaseHostName,
    SmokeConfig? Smoke = null)
{
    /// <summary>The host that runs the environment's PostgreSQL ('database:' in the inventory; the first host by default).</summary>
    public HostConfig DatabaseHost => Hosts.First(h => h.Name == DatabaseHostName);

    /// <summary>Production-like: needs the drill gate and a confirmation.</summary>
    public bool IsGated => DrillRequired || Name is "production" or "prod";

    /// <summary>The health URLs that point at <paramref name="host"/> (same host part as its agent address).</summary>
    public IReadOnlyList<Uri> HealthUrlsOf(HostConfig host) =>
        HealthUrls.Where(u => string.Equals(u.Host, host.Address.Host, StringComparison.OrdinalIgnoreCase)).ToList();
}
