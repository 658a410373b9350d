using Grpc.Core;
using TeaFleet.Agent.Operations.Leases;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class LeasesService(LeaseKeeper leases) : V1.Leases.LeasesBase
{
    public override Task<AcquireLeaseResponse> Acquire(AcquireLeaseRequest request, ServerCallContext context)
    {
        var grant = leases.Acquire(request.Environment, request.RunId, request.RequestedBy, CallerIdentity.Of(context), LeaseWire.Ttl(request.Ttl));
        return Task.FromResult(new AcquireLeaseResponse
        {
            Lease = LeaseWire.ToWire(grant.Lease, held: true),
            Renewed = grant.Renewed,
            TookOverRunId = grant.TookOver?.RunId ?? "",
            TookOverHolder = grant.TookOver?.Holder ?? "",
        });
    }

    public override Task<RenewLeaseResponse> Renew(RenewLeaseRequest request, ServerCallContext context) =>
        Task.FromResult(new RenewLeaseResponse { Lease = LeaseWire.ToWire(leases.Renew(request.RunId, LeaseWire.Ttl(request.Ttl)), held: true) });

    public override Task<ReleaseLeaseResponse> Release(ReleaseLeaseRequest request, ServerCallContext context)
    {
        var (lease, released) = leases.Release(request.RunId);
        return Task.FromResult(new ReleaseLeaseResponse { Lease = LeaseWire.ToWire(lease, leases.IsLive(lease)), Released = released });
    }

    public override Task<GetLeaseResponse> Get(GetLeaseRequest request, ServerCallContext context)
    {
        var lease = leases.Current();
        return Task.FromResult(new GetLeaseResponse { Lease = LeaseWire.ToWire(lease, leases.IsLive(lease)) });
    }
}
