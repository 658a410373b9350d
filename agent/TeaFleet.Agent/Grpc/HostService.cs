using Grpc.Core;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class HostService(IContainerRuntime runtime, HostLock hostLock, ServiceCatalog catalog, IOptions<AgentOptions> options) : V1.Host.HostBase
{
    public static readonly string[] Features = ["services", "source", "releases", "operations", "verify"];

    public override async Task<GetHostInfoResponse> GetInfo(GetHostInfoRequest request, ServerCallContext context)
    {
        var o = options.Value;
        var response = new GetHostInfoResponse
        {
            HostName = o.HostName,
            AgentVersion = AgentVersion.Current,
            Lock = hostLock.Snapshot(),
            ComposeProject = o.App.ProjectName,
            Caller = CallerIdentity.Of(context),
        };
        try
        {
            response.DockerVersion = await runtime.GetVersionAsync(context.CancellationToken);
        }
        catch (AgentException ex)
        {
            response.DockerError = ex.Message;
        }

        response.Disks.Add(DiskSpaceOf("app", o.App.CheckoutDir));
        response.Disks.Add(DiskSpaceOf("backups", o.BackupDir));
        response.Services.AddRange(catalog.Allowed);
        response.ReleaseServices.AddRange(catalog.ReleaseDefault);
        response.Features.AddRange(Features);
        return response;
    }

    internal static DiskSpace DiskSpaceOf(string label, string path)
    {
        var space = new DiskSpace { Label = label, Path = path, FreeBytes = -1, TotalBytes = -1 };
        try
        {
            // The nearest existing directory tells the file system the path lives on.
            var probe = path;
            while (!Directory.Exists(probe) && Path.GetDirectoryName(probe) is { } parent)
            {
                probe = parent;
            }

            var drive = new DriveInfo(probe);
            space.FreeBytes = drive.AvailableFreeSpace;
            space.TotalBytes = drive.TotalSize;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown free space is reported as -1.
        }

        return space;
    }
}
