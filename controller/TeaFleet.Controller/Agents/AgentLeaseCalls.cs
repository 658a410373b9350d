using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>The Leases calls through the pool's channels: a deadline, retries on Unavailable (every lease call is safe to repeat).</summary>
public sealed class AgentLeaseCalls(AgentPool agents) : ILeaseCalls
{
    public Task<AcquireLeaseResponse> AcquireAsync(HostConfig host, AcquireLeaseRequest request, CancellationToken cancellationToken) =>
        CallAsync(host, (agent, o) => agent.Leases.AcquireAsync(request, o), cancellationToken);

    public async Task<Lease> RenewAsync(HostConfig host, RenewLeaseRequest request, CancellationToken cancellationToken) =>
        (await CallAsync(host, (agent, o) => agent.Leases.RenewAsync(request, o), cancellationToken).ConfigureAwait(false)).Lease;

    public Task ReleaseAsync(HostConfig host, ReleaseLeaseRequest request, CancellationToken cancellationToken) =>
        CallAsync(host, (agent, o) => agent.Leases.ReleaseAsync(request, o), cancellationToken);

    public async Task<Lease> GetAsync(HostConfig host, CancellationToken cancellationToken) =>
        (await CallAsync(host, (agent, o) => agent.Leases.GetAsync(new GetLeaseRequest(), o), cancellationToken).ConfigureAwait(false)).Lease ?? new Lease();

    private async Task<T> CallAsync<T>(HostConfig host, Func<AgentConnection, CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => call(agent, o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            throw FleetException.Failed(
                $"the agent on {host.Name} does not know environment leases (it predates them), so this run cannot hold {host.Environment}.",
                "Upgrade teafleet-agent on that host to the controller's version, then run again.");
        }
    }
}
