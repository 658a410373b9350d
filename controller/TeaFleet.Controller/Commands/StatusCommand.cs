using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet status [ENV]</c>: every host in parallel; unreachable hosts are shown as such (exit 3).</summary>
public sealed class StatusCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<StatusSettings>(console)
{
    protected override async Task<int> RunAsync(StatusSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environments = settings.Environment is null ? inventory.Environments : [Environment(inventory, settings.Environment)];
        using var agents = new AgentPool(inventory, timeProvider);
        var hosts = environments.SelectMany(e => e.Hosts).ToList();
        var results = await Task.WhenAll(hosts.Select(h => QueryAsync(agents, readers.Leases(agents), h, cancellationToken))).ConfigureAwait(false);

        StatusPrinter.Print(output, results);
        var worst = results.Where(r => r.Error is not null).Select(r => r.ErrorCode).DefaultIfEmpty(ExitCodes.Done).Max();
        return worst;
    }

    private static async Task<HostStatus> QueryAsync(AgentPool agents, ILeaseCalls leases, HostConfig host, CancellationToken cancellationToken)
    {
        try
        {
            var agent = agents.Get(host);
            var info = agent.CallAsync(o => agent.HostClient.GetInfoAsync(new GetHostInfoRequest(), o), cancellationToken);
            var services = agent.CallAsync(o => agent.Services.ListAsync(new ListServicesRequest(), o), cancellationToken);
            var lease = LeaseOfAsync(leases, host, cancellationToken);
            var checkout = CheckoutOfAsync(agent, cancellationToken);
            var firewall = FirewallOfAsync(agent, cancellationToken);
            var maintenance = MaintenanceOfAsync(agent, cancellationToken);
            return new HostStatus(host, await info.ConfigureAwait(false), (await services.ConfigureAwait(false)).Services, null, 0)
            {
                Lease = await lease.ConfigureAwait(false),
                Checkout = await checkout.ConfigureAwait(false),
                Firewall = await firewall.ConfigureAwait(false),
                Maintenance = await maintenance.ConfigureAwait(false),
            };
        }
        catch (FleetException e)
        {
            return new HostStatus(host, null, [], e.Message + (e.Hint is null ? "" : " " + e.Hint), e.ExitCode);
        }
    }

    /// <summary>The app checkout's commit; "" when the agent cannot say (then nothing is compared).</summary>
    private static async Task<string> CheckoutOfAsync(AgentConnection agent, CancellationToken cancellationToken)
    {
        try
        {
            return (await agent.CallAsync(o => agent.Source.GetStatusAsync(new GetSourceStatusRequest(), o), cancellationToken).ConfigureAwait(false)).Commit;
        }
        catch (FleetException)
        {
            return "";
        }
    }

    /// <summary>The host's firewall; an agent that cannot say (one from before the firewall) shows nothing.</summary>
    private static async Task<FirewallStatusResponse?> FirewallOfAsync(AgentConnection agent, CancellationToken cancellationToken)
    {
        try
        {
            return await agent.CallAsync(o => agent.Firewall.StatusAsync(new FirewallStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }

    /// <summary>The host's maintenance page; an agent that cannot say (one from before the page) shows nothing.</summary>
    private static async Task<MaintenanceStatusResponse?> MaintenanceOfAsync(AgentConnection agent, CancellationToken cancellationToken)
    {
        try
        {
            return await agent.CallAsync(o => agent.Maintenance.StatusAsync(new MaintenanceStatusRequest(), o), cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }

    /// <summary>The host's lease; an agent that cannot say (one from before leases) shows none.</summary>
    private static async Task<Lease?> LeaseOfAsync(ILeaseCalls leases, HostConfig host, CancellationToken cancellationToken)
    {
        try
        {
            return await leases.GetAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }
}
