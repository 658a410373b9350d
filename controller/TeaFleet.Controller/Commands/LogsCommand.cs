using Grpc.Core;
using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet logs ENV SERVICE [--host H] [--tail N] [--follow]</c>.</summary>
public sealed class LogsCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<LogsSettings>(console)
{
    protected override async Task<int> RunAsync(LogsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        IReadOnlyList<HostConfig> hosts = environment.Hosts;
        if (settings.Host is not null)
        {
            var host = Host(inventory, settings.Host);
            if (host.Environment != environment.Name)
            {
                throw FleetException.BadInput($"host '{host.Name}' belongs to '{host.Environment}', not '{environment.Name}'.", $"Hosts of {environment.Name}: {string.Join(", ", environment.Hosts.Select(h => h.Name))}.");
            }

            hosts = [host];
        }

        using var agents = new AgentPool(inventory, timeProvider);
        var prefix = hosts.Count > 1;
        if (settings.Follow)
        {
            await Task.WhenAll(hosts.Select(h => StreamAsync(agents.Get(h), settings, output, prefix, cancellationToken))).ConfigureAwait(false);
        }
        else
        {
            foreach (var h in hosts)
            {
                await StreamAsync(agents.Get(h), settings, output, prefix, cancellationToken).ConfigureAwait(false);
            }
        }

        return ExitCodes.Done;
    }

    private static async Task StreamAsync(AgentConnection agent, LogsSettings settings, CommandOutput output, bool prefix, CancellationToken cancellationToken)
    {
        try
        {
            using var call = agent.Services.Logs(new ServiceLogsRequest { Service = settings.Service, Tail = settings.Tail, Follow = settings.Follow }, agent.StreamOptions(cancellationToken));
            await foreach (var line in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                LogsPrinter.Line(output, agent.Host.Name, line, prefix);
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw agent.Translate(e);
        }
        catch (RpcException e)
        {
            throw new OperationCanceledException("cancelled", e, cancellationToken);
        }
    }
}
