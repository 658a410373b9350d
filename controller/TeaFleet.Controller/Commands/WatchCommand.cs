using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet watch HOST OPERATION_ID</c>: re-attaches from the first event and follows to the end; exit code from the final event.</summary>
public sealed class WatchCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<WatchSettings>(console)
{
    protected override async Task<int> RunAsync(WatchSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var host = Host(inventory, settings.Host);
        using var agents = new AgentPool(inventory, timeProvider);
        var agent = agents.Get(host);
        ReattachHint = $"Follow it again with 'teafleet watch {host.Name} {settings.OperationId}'.";
        var start = timeProvider.GetTimestamp();
        var final = await new OperationFollower(timeProvider).WatchAsync(
            agent,
            settings.OperationId,
            0,
            e =>
            {
                WatchPrinter.Event(output, host.Name, e);
                return ValueTask.CompletedTask;
            },
            message =>
            {
                WatchPrinter.Reattaching(output, message);
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        WatchPrinter.Finished(output, settings.OperationId, final, timeProvider.GetElapsedTime(start));
        return final.Phase == OperationPhase.Succeeded ? ExitCodes.Done : ExitCodes.OperationFailed;
    }
}
