using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>An agent operation's stream of events, read as the controller reads it.</summary>
public static class OperationEvents
{
    /// <summary>Every event of the operation, to its end.</summary>
    public static async Task<List<OperationEvent>> AllAsync(AsyncServerStreamingCall<OperationEvent> call, CancellationToken cancellationToken)
    {
        var events = new List<OperationEvent>();
        await foreach (var evt in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }
}
