namespace TeaFleet.Controller.Inventory;

/// <summary>The fleet as <c>teafleet.yaml</c> describes it; paths are already made absolute.</summary>
public sealed record FleetInventory(
    string Path,
    string App,
    string StateDir,
    CertificatePaths? Certificates,
    DrillPolicy Drill,
    IReadOnlyList<EnvironmentConfig> Environments,
    IReadOnlyList<Contact> Contacts)
{
    /// <summary>How runs hold their environment ('lease:'; 120 s renewed every 30 s by default).</summary>
    public LeasePolicy Lease { get; init; } = LeasePolicy.Default;

    public string RunsDir => System.IO.Path.Combine(StateDir, "runs");

    public string ReportsDir => System.IO.Path.Combine(StateDir, "reports");

    public EnvironmentConfig? FindEnvironment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    public HostConfig? FindHost(string name) =>
        Environments.SelectMany(e => e.Hosts).FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal));

    public string EnvironmentNames => string.Join(", ", Environments.Select(e => e.Name));

    /// <summary>The environment whose successful runs open the drill gate for <paramref name="environment"/>, or null when it is not gated.</summary>
    public EnvironmentConfig? DrillSourceFor(EnvironmentConfig environment)
    {
        if (!environment.IsGated)
        {
            return null;
        }

        return Environments.FirstOrDefault(e => string.Equals(e.StagingFor, environment.Name, StringComparison.Ordinal))
            ?? FindEnvironment("staging");
    }
}
