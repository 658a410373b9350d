using Grpc.Core;
using TeaFleet.Agent.Operations.Forensics;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class ForensicsService(ForensicsOperations forensics) : V1.Forensics.ForensicsBase
{
    public override async Task Collect(CollectForensicsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(
            await forensics.CollectAsync(OperationWire.ToModel(request.Header), request.LogLines, CallerIdentity.Of(context), context.CancellationToken),
            0, responseStream, context);
}
