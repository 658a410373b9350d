using Grpc.Core;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class OperationsService(OperationManager operations) : V1.Operations.OperationsBase
{
    public override Task Watch(WatchRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(operations.Get(request.OperationId), request.AfterSequence, responseStream, context);

    public override Task<GetOperationResponse> Get(GetOperationRequest request, ServerCallContext context) =>
        Task.FromResult(new GetOperationResponse { Operation = OperationWire.ToWire(operations.Get(request.OperationId).Snapshot()) });

    public override Task<ListOperationsResponse> List(ListOperationsRequest request, ServerCallContext context)
    {
        var response = new ListOperationsResponse { Lock = OperationWire.ToWire(operations.Lock()) };
        response.Operations.AddRange(operations.List(request.Limit > 0 ? request.Limit : 50).Select(OperationWire.ToWire));
        return Task.FromResult(response);
    }

    public override Task<CancelOperationResponse> Cancel(CancelOperationRequest request, ServerCallContext context) =>
        Task.FromResult(new CancelOperationResponse { Operation = OperationWire.ToWire(operations.Cancel(request.OperationId).Snapshot()) });
}
