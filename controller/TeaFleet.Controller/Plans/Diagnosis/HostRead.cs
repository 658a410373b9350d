using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// What one host said about its services (Services.List), the one-shots its releases define (an exited
/// migrator is done, not down), and its recent failed operations; <see cref="Unreachable"/> says why
/// nothing was read.
/// </summary>
public sealed record HostRead(string Host, IReadOnlyList<ServiceStatus> Services, IReadOnlyCollection<string> OneShots, IReadOnlyList<OperationInfo> FailedOperations, string? Unreachable)
{
    /// <summary>The public ports TeaFleet blocked in this host's ufw (Firewall.Status); empty when none or not read.</summary>
    public IReadOnlyList<int> BlockedPorts { get; init; } = [];

    /// <summary>Whether the host's maintenance page is on (Maintenance.Status).</summary>
    public bool MaintenanceOn { get; init; }

    public static HostRead NotReached(string host, string reason) => new(host, [], [], [], reason);
}
