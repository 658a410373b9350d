namespace TeaFleet.Agent.Model;

/// <summary>A release's service set as a read returns it: what a switch with none named would do, and this host's view of each service.</summary>
public sealed record ServiceSetReport(
    ReleaseServiceSet Set,
    IReadOnlyList<string> SwitchServices,
    IReadOnlyList<string> Problems,
    IReadOnlyCollection<string> DataServices,
    IReadOnlyCollection<string> Allowed);
