using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class ServicesService(
    ServiceCatalog catalog,
    IContainerRuntime runtime,
    ServiceOperations serviceOperations,
    ReleaseSwitcher switcher,
    IOptions<AgentOptions> options) : V1.Services.ServicesBase
{
    public override async Task<ListServicesResponse> List(ListServicesRequest request, ServerCallContext context)
    {
        var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, context.CancellationToken);
        var response = new ListServicesResponse();
        foreach (var service in catalog.Allowed)
        {
            var status = new ServiceStatus { Name = service, State = "missing", Health = "none" };
            if (containers.TryGetValue(service, out var c))
            {
                status.ContainerId = c.ContainerId;
                status.Image = c.Image;
                status.Release = c.Release;
                status.State = c.State;
                status.Health = c.Health;
                if (c.StartedAt is { } started)
                {
                    status.StartedAt = Timestamp.FromDateTimeOffset(started);
                }
            }

            response.Services.Add(status);
        }

        return response;
    }

    public override async Task Logs(ServiceLogsRequest request, IServerStreamWriter<ServiceLogLine> responseStream, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Service))
        {
            throw AgentException.Invalid("logs needs a service name");
        }

        var service = catalog.Select([request.Service]).Single();

        var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, context.CancellationToken);
        if (!containers.TryGetValue(service, out var container))
        {
            throw AgentException.Precondition($"{service} has no container on {options.Value.HostName}; deploy it first");
        }

        var tail = request.Tail > 0 ? Math.Min(request.Tail, 10_000) : 100;
        try
        {
            await foreach (var (stream, line) in runtime.LogsAsync(container.ContainerId, tail, request.Follow, context.CancellationToken))
            {
                await responseStream.WriteAsync(new ServiceLogLine { Service = service, Stream = stream, Line = line });
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller stopped following.
        }
    }

    public override Task Stop(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Stop(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Start(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Start(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Restart(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Restart(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Recreate(RecreateServicesRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var record = await switcher.RecreateAsync(request, CallerIdentity.Of(context), context.CancellationToken);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }
}
