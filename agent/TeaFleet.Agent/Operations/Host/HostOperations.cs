using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Operations.Host;

/// <summary>What the host is and can do, asked before planning: names, versions, disks, the lock, the services.</summary>
public sealed class HostOperations(IContainerRuntime runtime, HostLock hostLock, ServiceCatalog catalog, IOptions<AgentOptions> options)
{
    public static readonly string[] Features = ["services", "source", "releases", "operations", "verify", "leases", "firewall", "forensics"];

    public async Task<HostInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var lockInfo = hostLock.Snapshot();
        string dockerVersion = "", dockerError = "";
        try
        {
            dockerVersion = await runtime.GetVersionAsync(cancellationToken);
        }
        catch (AgentException ex)
        {
            dockerError = ex.Message;
        }

        return new HostInfo
        {
            HostName = o.HostName,
            AgentVersion = TeaFleet.Agent.AgentVersion.Current,
            Lock = lockInfo,
            ComposeProject = o.App.ProjectName,
            DockerVersion = dockerVersion,
            DockerError = dockerError,
            Disks = [DiskSpaceOf("app", o.App.CheckoutDir), DiskSpaceOf("backups", o.BackupDir)],
            Services = catalog.Allowed,
            ReleaseServices = catalog.ReleaseDefault,
            Features = o.Maintenance.Configured ? [.. Features, "maintenance"] : Features,
        };
    }

    /// <summary>The free and total space of the file system a path lives on (-1 when unknown).</summary>
    public static DiskSpace DiskSpaceOf(string label, string path)
    {
        try
        {
            // The nearest existing directory tells the file system the path lives on.
            var probe = path;
            while (!Directory.Exists(probe) && Path.GetDirectoryName(probe) is { } parent)
            {
                probe = parent;
            }

            var drive = new DriveInfo(probe);
            return new DiskSpace(label, path, drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown free space is reported as -1.
            return new DiskSpace(label, path, -1, -1);
        }
    }
}
