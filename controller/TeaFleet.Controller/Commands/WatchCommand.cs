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
                if (output.IsJson)
                {
                    output.Json(new
                    {
                        type = "event",
                        host = host.Name,
                        operation_id = e.OperationId,
                        sequence = e.Sequence,
                        time = e.Time?.ToDateTimeOffset(),
                        step = e.Step,
                        phase = OperationPhases.Name(e.Phase),
                        percent = e.Percent >= 0 ? e.Percent : (double?)null,
                        message = e.Message,
                        final = e.Final,
                        data = e.Data.Count > 0 ? e.Data : null,
                    });
                }
                else
                {
                    var what = e.Step.Length > 0 ? e.Step + ": " : "";
                    output.Plain($"{e.Time?.ToDateTimeOffset():HH:mm:ss} #{e.Sequence} {OperationPhases.Name(e.Phase)} {what}{e.Message}");
                }

                return ValueTask.CompletedTask;
            },
            message =>
            {
                output.Line($"[yellow]{CommandOutput.Esc(message)}[/]");
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        var ok = final.Phase == OperationPhase.Succeeded;
        output.Line($"{(ok ? "[green]" : "[red]")}{settings.OperationId} {OperationPhases.Name(final.Phase)}[/] ({timeProvider.GetElapsedTime(start).TotalSeconds:0.0} s watched){(final.Data.Count > 0 ? " " + CommandOutput.Esc(string.Join(" ", final.Data.Select(d => $"{d.Key}={d.Value}"))) : "")}");
        return ok ? ExitCodes.Done : ExitCodes.OperationFailed;
    }
}
