namespace TeaFleet.Agent.Model;

/// <summary>A release's service set as a read returns it: what a switch with none named would do, and this host's view of each service.</summary>
public sealed record ServiceSetReport(
    ReleaseServiceSet Set,
    IReadOnlyList<string> SwitchServices,
    IReadOnlyList<string> Problems,
    IReadOnlyCollection<string> DataServices,
    IReadOnlyCollection<string> Allowed)
{
    /// <summary>Per switched service: how a switch changes it (<c>rolling</c> or <c>recreate</c>), why, and the proxy it rolls behind.</summary>
    public IReadOnlyDictionary<string, (string Mode, string Reason, string Proxy)> Modes { get; init; } = new Dictionary<string, (string, string, string)>();
}
