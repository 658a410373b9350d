using Grpc.Core;
using TeaFleet.Agent.Operations.Maintenance;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class MaintenanceService(MaintenanceOperations maintenance) : V1.Maintenance.MaintenanceBase
{
    public override Task<MaintenanceStatusResponse> Status(MaintenanceStatusRequest request, ServerCallContext context) =>
        Task.FromResult(MaintenanceWire.ToWire(maintenance.Status()));

    public override async Task Enable(EnableMaintenanceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var caller = request.KeepCaller ? context.GetHttpContext().Connection.RemoteIpAddress : null;
        var record = maintenance.Enable(OperationWire.ToModel(request.Header), request.Reason, CallerIdentity.Of(context), caller);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }

    public override async Task Disable(DisableMaintenanceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(maintenance.Disable(OperationWire.ToModel(request.Header), CallerIdentity.Of(context)), 0, responseStream, context);
}
