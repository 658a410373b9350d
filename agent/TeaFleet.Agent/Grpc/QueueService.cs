using Grpc.Core;
using TeaFleet.Agent.Operations.Queue;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class QueueService(QueueOperations queues) : V1.Queue.QueueBase
{
    public override async Task<QueueStatusResponse> Status(QueueStatusRequest request, ServerCallContext context) =>
        QueueWire.ToWire(await queues.StatusAsync(context.CancellationToken));

    public override async Task Flush(FlushQueueRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(
            await queues.FlushAsync(OperationWire.ToModel(request.Header), [.. request.Queues], CallerIdentity.Of(context), context.CancellationToken),
            0, responseStream, context);
}
