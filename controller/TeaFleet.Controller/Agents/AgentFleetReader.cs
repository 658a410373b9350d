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

    public async Task<IReadOnlyList<string>?> GetFeaturesAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var info = await agent.CallAsync(o => agent.HostClient.GetInfoAsync(new GetHostInfoRequest(), o), cancellationToken).ConfigureAwait(false);
        return info.Features;
    }

    public async Task<IReadOnlyList<Backup>> ListBackupsAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var response = await agent.CallAsync(o => agent.Database.ListBackupsAsync(new ListBackupsRequest(), o), cancellationToken).ConfigureAwait(false);
        return response.Backups;
    }

    public async Task<MigrationStatus?> GetMigrationStatusAsync(HostConfig host, string? target, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Migrations.StatusAsync(new MigrationStatusRequest { Target = target ?? "" }, o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.FailedPrecondition } rpc && rpc.Status.Detail.Contains("runs no migrations", StringComparison.Ordinal))
        {
            return null;
        }
    }

    public async Task<LeftoversResponse?> GetLeftoversAsync(HostConfig host, string? target, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Migrations.LeftoversAsync(new LeftoversRequest { Target = target ?? "" }, o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented }
            || (e.InnerException is RpcException { StatusCode: StatusCode.FailedPrecondition } rpc && rpc.Status.Detail.Contains("runs no migrations", StringComparison.Ordinal)))
        {
            return null;
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.FailedPrecondition or StatusCode.Internal } rpc)
        {
            // The comparison itself failed (pg_dump, pg_restore): said, never taken for "no leftovers".
            return new LeftoversResponse { Host = host.Name, Compared = false, Reason = $"the comparison failed: {rpc.Status.Detail}" };
        }
    }

    public async Task<GetServiceSetResponse?> GetServiceSetAsync(HostConfig host, string commit, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Releases.GetServiceSetAsync(new GetServiceSetRequest { Commit = commit }, o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return null;
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.FailedPrecondition or StatusCode.NotFound } rpc)
        {
            throw FleetException.BadInput(
                $"{host.Name} cannot read the services of {PlanText.Short(commit)}: {rpc.Status.Detail}; nothing was changed.",
                "Fix the release's compose files (or the host's .env), or choose another release.");
        }
    }

    public async Task<IReadOnlyList<ServiceStatus>> GetRunningServicesAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var response = await agent.CallAsync(o => agent.Services.ListAsync(new ListServicesRequest(), o), cancellationToken).ConfigureAwait(false);
        return response.Services;
    }

    public async Task<string> GetCheckoutAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var status = await agent.CallAsync(o => agent.Source.GetStatusAsync(new GetSourceStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        return status.Commit;
    }

    public async Task<ResolvedRef?> CommitAtAsync(HostConfig host, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var response = await agent.CallAsync(o => agent.Source.LogAsync(new SourceLogRequest { MaxCount = 1, Until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time) }, o), cancellationToken).ConfigureAwait(false);
        return response.Commits.Count == 0 ? null : new ResolvedRef(host.Name, time.ToString("u", System.Globalization.CultureInfo.InvariantCulture), response.Commits[0].Commit, response.Commits[0].Tags);
    }

    public async Task<FirewallStatusResponse?> GetFirewallAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Firewall.StatusAsync(new FirewallStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return null;
        }
    }
    public async Task<MaintenanceStatusResponse?> GetMaintenanceAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Maintenance.StatusAsync(new MaintenanceStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return null;
        }
    }

    public Task<IReadOnlyList<string>> GetLogsSinceAsync(HostConfig host, string service, DateTimeOffset since, int tail, CancellationToken cancellationToken) =>
        LogsAsync(host, new ServiceLogsRequest { Service = service, Tail = tail, Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(since) }, cancellationToken);

    public async Task<IReadOnlyList<ServiceStats>?> GetStatsAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            var response = await agent.CallAsync(o => agent.Services.StatsAsync(new ServiceStatsRequest(), o), cancellationToken).ConfigureAwait(false);
            return response.Services;
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<string>> LogsAsync(HostConfig host, ServiceLogsRequest request, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        var lines = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            using var call = agent.Services.Logs(request, agent.StreamOptions(deadline.Token));
            await foreach (var line in call.ResponseStream.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                lines.Add(line.Line);
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unimplemented or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
        {
            // No container (or an agent that cannot say): no lines, which the services read explains.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
        {
            // The tail took longer than its deadline: what arrived is kept.
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw agent.Translate(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The tail took longer than its deadline: what arrived is kept.
        }

        return lines;
    }

    public async Task<IReadOnlyList<OperationInfo>> ListOperationsAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            var response = await agent.CallAsync(o => agent.Operations.ListAsync(new ListOperationsRequest { Limit = 50 }, o), cancellationToken).ConfigureAwait(false);
            return response.Operations;
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return [];
        }
    }

    public async Task<QueueStatusResponse?> GetQueueStatusAsync(HostConfig host, CancellationToken cancellationToken)
    {
        var agent = agents.Get(host);
        try
        {
            return await agent.CallAsync(o => agent.Queue.StatusAsync(new QueueStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return null;
        }
    }

    public async Task<HealthAnswer?> ProbeHealthAsync(Uri url, CancellationToken cancellationToken)
    {
        var (ok, text) = await new Engine.HealthChecker(Engine.RunEngineServices.Http, agents.TimeProvider).ProbeAsync(url, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        return new HealthAnswer(url, ok, text);
    }
}
