using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Output;

/// <summary>What <c>watch</c> prints while it follows an operation: each event (plain line or <c>event</c> object), re-attaches, and the end.</summary>
public static class WatchPrinter
{
    public static void Event(CommandOutput output, string hostName, OperationEvent e)
    {
        if (output.IsJson)
        {
            output.Json(new
            {
                type = "event",
                host = hostName,
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
    }

    public static void Reattaching(CommandOutput output, string message) => output.Line($"[yellow]{CommandOutput.Esc(message)}[/]");

    /// <summary>The closing line (text only): the operation's final phase, how long it was watched, and its result data.</summary>
    public static void Finished(CommandOutput output, string operationId, OperationEvent final, TimeSpan watched)
    {
        var ok = final.Phase == OperationPhase.Succeeded;
        output.Line($"{(ok ? "[green]" : "[red]")}{operationId} {OperationPhases.Name(final.Phase)}[/] ({watched.TotalSeconds:0.0} s watched){(final.Data.Count > 0 ? " " + CommandOutput.Esc(string.Join(" ", final.Data.Select(d => $"{d.Key}={d.Value}"))) : "")}");
    }
}
