using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Output;

/// <summary>What 'status' learned about one host (or why it could not).</summary>
public sealed record HostStatus(HostConfig Host, GetHostInfoResponse? Info, IReadOnlyList<ServiceStatus> Services, string? Error, int ErrorCode)
{
    /// <summary>The environment lease the host reports (held or not); null when it could not say.</summary>
    public Lease? Lease { get; init; }

    /// <summary>The commit the host's app checkout is at; "" when the agent could not say.</summary>
    public string Checkout { get; init; } = "";

    /// <summary>The host's firewall as its agent reads ufw; null when the agent could not say (one from before the firewall).</summary>
    public FirewallStatusResponse? Firewall { get; init; }

    /// <summary>The host's maintenance page; null when the agent could not say (one from before the page).</summary>
    public MaintenanceStatusResponse? Maintenance { get; init; }
}
