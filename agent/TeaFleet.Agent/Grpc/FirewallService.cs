using Grpc.Core;
using TeaFleet.Agent.Operations.Firewall;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class FirewallService(FirewallOperations firewall) : V1.Firewall.FirewallBase
{
    public override async Task<FirewallStatusResponse> Status(FirewallStatusRequest request, ServerCallContext context) =>
        FirewallWire.ToWire(await firewall.StatusAsync(context.CancellationToken));

    public override async Task Block(FirewallRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var keepOpenFor = request.KeepCaller ? context.GetHttpContext().Connection.RemoteIpAddress : null;
        var record = await firewall.BlockAsync(OperationWire.ToModel(request.Header), [.. request.Ports], CallerIdentity.Of(context), context.CancellationToken, keepOpenFor);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }

    public override async Task Allow(FirewallRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var record = await firewall.AllowAsync(OperationWire.ToModel(request.Header), [.. request.Ports], CallerIdentity.Of(context), context.CancellationToken);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }
}
