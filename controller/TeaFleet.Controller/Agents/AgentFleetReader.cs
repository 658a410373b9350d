using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Agents;

/// <summary>The planning reads, done against the real agents.</summary>
public sealed class AgentFleetReader(AgentPool agents) : IFleetReader
{
    public async Task<HostLedger> GetLedgerAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var response = await agent.CallAsync(o => agent.Releases.ListAsync(new ListReleasesRequest { Limit = 200 }, o), cancellationToken).ConfigureAwait(false);
        return new HostLedger(host.Name, response.Releases, response.CurrentCommit);
    }

    public async Task<ResolvedRef?> ResolveAsync(HostConfig host, string reference, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            var response = await agent.CallAsync(o => agent.Source.ResolveAsync(new ResolveRefRequest { Ref = reference }, o), cancellationToken).ConfigureAwait(false);
            return new ResolvedRef(host.Name, reference, response.Commit, response.Tags);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> GetServicesAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var info = await agent.CallAsync(o => agent.HostClient.GetInfoAsync(new GetHostInfoRequest(), o), cancellationToken).ConfigureAwait(false);
        return info.Services;
    }

    public async Task<IReadOnlyList<Backup>> ListBackupsAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var response = await agent.CallAsync(o => agent.Database.ListBackupsAsync(new ListBackupsRequest(), o), cancellationToken).ConfigureAwait(false);
        return response.Backups;
    }
}
