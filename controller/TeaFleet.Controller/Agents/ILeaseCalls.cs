using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>The Leases calls of one host's agent, failures already turned into the controller's errors (a seam for tests).</summary>
public interface ILeaseCalls
{
    Task<AcquireLeaseResponse> AcquireAsync(HostConfig host, AcquireLeaseRequest request, CancellationToken cancellationToken);

    Task<Lease> RenewAsync(HostConfig host, RenewLeaseRequest request, CancellationToken cancellationToken);

    Task ReleaseAsync(HostConfig host, ReleaseLeaseRequest request, CancellationToken cancellationToken);

    Task<Lease> GetAsync(HostConfig host, CancellationToken cancellationToken);
}
