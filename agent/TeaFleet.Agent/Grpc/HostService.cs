using Grpc.Core;
using TeaFleet.Agent.Operations.Host;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class HostService(HostOperations host) : V1.Host.HostBase
{
    public override async Task<GetHostInfoResponse> GetInfo(GetHostInfoRequest request, ServerCallContext context)
    {
        var info = await host.GetInfoAsync(context.CancellationToken);
        var response = new GetHostInfoResponse
        {
            HostName = info.HostName,
            AgentVersion = info.AgentVersion,
            Lock = OperationWire.ToWire(info.Lock),
            ComposeProject = info.ComposeProject,
            Caller = CallerIdentity.Of(context),
            DockerVersion = info.DockerVersion,
            DockerError = info.DockerError,
        };
        response.Disks.AddRange(info.Disks.Select(d => new DiskSpace { Label = d.Label, Path = d.Path, FreeBytes = d.FreeBytes, TotalBytes = d.TotalBytes }));
        response.Services.AddRange(info.Services);
        response.ReleaseServices.AddRange(info.ReleaseServices);
        response.Features.AddRange(info.Features);
        return response;
    }
}
