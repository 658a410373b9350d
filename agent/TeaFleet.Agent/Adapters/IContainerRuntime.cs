namespace TeaFleet.Agent.Adapters;

/// <summary>The host's container engine, as the agent needs it: observe, stop, start, images, logs.</summary>
public interface IContainerRuntime
{
    Task<string> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>The project's containers, keyed by Compose service name.</summary>
    Task<IReadOnlyDictionary<string, ContainerState>> ListServicesAsync(string project, CancellationToken cancellationToken);

    /// <summary>Every container of the project, running or not, oldest first, with its labels and restart count.</summary>
    Task<IReadOnlyList<ContainerDetails>> ListContainersAsync(string project, CancellationToken cancellationToken);

    Task StopAsync(string containerId, int waitSeconds, CancellationToken cancellationToken);

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    Task RestartAsync(string containerId, int waitSeconds, CancellationToken cancellationToken);

    Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Tags of the given repository ("tea-backend" → ["3f2a…", "dev"]).</summary>
    Task<IReadOnlyList<string>> ImageTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Removes a stopped container (and its anonymous volumes never: named volumes and data stay).</summary>
    Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Removes an image tag; false when Docker refuses (in use).</summary>
    Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the container's own health check (its image's HEALTHCHECK command) once, now, instead of
    /// waiting for Docker's next scheduled run: true when it passes, null when the container has none.
    /// </summary>
    Task<bool?> RunHealthCheckAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The container's log lines: the last <paramref name="tail"/> (of those since <paramref name="since"/> when given), then new ones while following.</summary>
    IAsyncEnumerable<(string Stream, string Line)> LogsAsync(string containerId, int tail, bool follow, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>One sample of a running container's resource use (Docker's stats, CPU over about one second); null when it is not running.</summary>
    Task<ContainerUsage?> StatsAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Sends a signal to a container's main process (nginx reloads its configuration on HUP).</summary>
    Task SignalAsync(string containerId, string signal, CancellationToken cancellationToken);

    /// <summary>The processes running in a container (Docker's top): each process id and its command line.</summary>
    Task<IReadOnlyList<(string Pid, string Command)>> ProcessesAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The host paths bind-mounted into a container.</summary>
    Task<IReadOnlyList<string>> MountSourcesAsync(string containerId, CancellationToken cancellationToken);
}
