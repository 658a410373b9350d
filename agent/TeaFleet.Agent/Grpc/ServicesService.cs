using Grpc.Core;
using TeaFleet.Agent.Operations.Releases;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class ServicesService(ServiceOperations serviceOperations, ReleaseSwitcher switcher, ServiceCatalog catalog) : V1.Services.ServicesBase
{
    public override async Task<ListServicesResponse> List(ListServicesRequest request, ServerCallContext context)
    {
        var response = new ListServicesResponse();
        var data = catalog.DataServices;
        foreach (var s in await serviceOperations.ListAsync(context.CancellationToken))
        {
            response.Services.Add(new ServiceStatus
            {
                Name = s.Name,
                ContainerId = s.ContainerId,
                Image = s.Image,
                Release = s.Release,
                State = s.State,
                Health = s.Health,
                StartedAt = OperationWire.Time(s.StartedAt),
                NotInRelease = s.NotInRelease,
                ReleaseSource = s.ReleaseSource,
                ReleaseTags = { s.ReleaseTags ?? [] },
                RestartCount = s.RestartCount,
                DataService = data.Contains(s.Name, StringComparer.Ordinal),
            });
        }

        return response;
    }

    public override async Task Logs(ServiceLogsRequest request, IServerStreamWriter<ServiceLogLine> responseStream, ServerCallContext context)
    {
        try
        {
            await foreach (var line in serviceOperations.LogsAsync(request.Service, request.Tail, request.Follow, request.Since?.ToDateTimeOffset(), context.CancellationToken))
            {
                await responseStream.WriteAsync(new ServiceLogLine { Service = line.Service, Stream = line.Stream, Line = line.Line });
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller stopped following.
        }
    }

    public override async Task<ServiceStatsResponse> Stats(ServiceStatsRequest request, ServerCallContext context)
    {
        var response = new ServiceStatsResponse();
        foreach (var (service, containerId, usage) in await serviceOperations.StatsAsync(context.CancellationToken))
        {
            response.Services.Add(new ServiceStats
            {
                Name = service,
                ContainerId = containerId,
                CpuPercent = usage.CpuPercent,
                OnlineCpus = usage.OnlineCpus,
                MemoryBytes = usage.MemoryBytes,
                MemoryLimitBytes = usage.MemoryLimitBytes,
            });
        }

        return response;
    }

    public override Task Stop(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Stop(OperationWire.ToModel(request.Header), request.Services, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Start(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Start(OperationWire.ToModel(request.Header), request.Services, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Restart(ServiceActionRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(serviceOperations.Restart(OperationWire.ToModel(request.Header), request.Services, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Recreate(RecreateServicesRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var switchRequest = new ReleaseSwitchRequest(
            OperationWire.ToModel(request.Header), [.. request.Services], request.Commit, request.ForceBuild, request.NoCache, request.Kind, request.VerifyTimeoutSeconds);
        var record = await switcher.RecreateAsync(switchRequest, CallerIdentity.Of(context), context.CancellationToken);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }
}
