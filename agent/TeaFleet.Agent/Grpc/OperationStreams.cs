using Grpc.Core;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

/// <summary>Writes an operation's events to a call's stream. A caller that goes away stops the stream, not the operation.</summary>
public static class OperationStreams
{
    public static async Task WriteAsync(OperationRecord record, long afterSequence, IServerStreamWriter<OperationEvent> stream, ServerCallContext context)
    {
        try
        {
            await foreach (var evt in record.WatchAsync(afterSequence, context.CancellationToken))
            {
                await stream.WriteAsync(OperationWire.ToWire(evt));
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller left; the operation goes on and can be watched again.
        }
        catch (InvalidOperationException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller left between two events: ASP.NET Core refuses the write on a completed request
            // ("Can't write the message because the request is complete"). Same as above, not an error.
        }
    }
}
