using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Adapters;

/// <summary>The Docker Engine API through Docker.DotNet (the maintained Docker.DotNet.Enhanced fork).</summary>
public sealed class DockerRuntime : IContainerRuntime, IDisposable
{
    public const string RevisionLabel = "org.opencontainers.image.revision";
    private const string ProjectLabel = "com.docker.compose.project";
    private const string ServiceLabel = "com.docker.compose.service";

    private readonly DockerClient _client;
    private readonly string _endpoint;

    public DockerRuntime(IOptions<AgentOptions> options)
    {
        _endpoint = options.Value.Docker.Endpoint;
        _client = new DockerClientBuilder().WithEndpoint(new Uri(_endpoint)).WithTimeout(TimeSpan.FromSeconds(30)).Build();
    }

    public async Task<string> GetVersionAsync(CancellationToken cancellationToken)
    {
        var version = await CallAsync(() => _client.System.GetVersionAsync(cancellationToken));
        return version.Version;
    }

    public async Task<IReadOnlyDictionary<string, ContainerState>> ListServicesAsync(string project, CancellationToken cancellationToken)
    {
        var containers = await CallAsync(() => _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ProjectLabel}={project}"] = true },
            },
        }, cancellationToken));

        var result = new Dictionary<string, ContainerState>(StringComparer.Ordinal);
        foreach (var container in containers.OrderBy(c => c.Created))
        {
            if (!container.Labels.TryGetValue(ServiceLabel, out var service))
            {
                continue;
            }

            var inspect = await CallAsync(() => _client.Containers.InspectContainerAsync(container.ID, cancellationToken));
            container.Labels.TryGetValue(RevisionLabel, out var revision);
            DateTimeOffset? started = DateTimeOffset.TryParse(inspect.State?.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) && s.Year > 1
                ? s
                : null;
            // A newer container of the same service (created later) wins: during a recreate both may exist for a moment.
            result[service] = new ContainerState(
                service,
                container.ID,
                container.Image,
                revision ?? "",
                inspect.State?.Status ?? "unknown",
                inspect.State?.Health?.Status is { Length: > 0 } health ? health : "none",
                started)
            {
                RestartCount = inspect.RestartCount,
            };
        }

        return result;
    }

    public async Task<IReadOnlyList<ContainerDetails>> ListContainersAsync(string project, CancellationToken cancellationToken)
    {
        var containers = await CallAsync(() => _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ProjectLabel}={project}"] = true },
            },
        }, cancellationToken));

        var result = new List<ContainerDetails>();
        foreach (var container in containers.OrderBy(c => c.Created))
        {
            var inspect = await CallAsync(() => _client.Containers.InspectContainerAsync(container.ID, cancellationToken));
            var labels = container.Labels ?? new Dictionary<string, string>();
            result.Add(new ContainerDetails(
                (container.Names?.FirstOrDefault() ?? container.ID).TrimStart('/'),
                container.ID,
                labels.TryGetValue(ServiceLabel, out var service) ? service : "",
                container.Image,
                inspect.State?.Status ?? container.State ?? "unknown",
                inspect.RestartCount,
                new DateTimeOffset(DateTime.SpecifyKind(container.Created, DateTimeKind.Utc)),
                new SortedDictionary<string, string>(labels, StringComparer.Ordinal)));
        }

        return result;
    }

    public Task StopAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) =>
        CallAsync(() => _client.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)waitSeconds }, cancellationToken));

    public async Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        await CallAsync(() => _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken));

    public Task RestartAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await _client.Containers.RestartContainerAsync(containerId, new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)waitSeconds }, cancellationToken);
            return true;
        });

    public async Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.Images.InspectImageAsync(reference, cancellationToken));
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ImageTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var images = await CallAsync(() => _client.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["reference"] = new Dictionary<string, bool> { [repository] = true },
            },
        }, cancellationToken));
        return images
            .SelectMany(i => i.RepoTags ?? [])
            .Where(t => t.StartsWith(repository + ":", StringComparison.Ordinal))
            .Select(t => t[(repository.Length + 1)..])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await _client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = false, RemoveVolumes = false }, cancellationToken);
            return true;
        });

    public async Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = false }, cancellationToken));
            return true;
        }
        catch (DockerApiException)
        {
            return false;
        }
    }

    public Task SignalAsync(string containerId, string signal, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = signal }, cancellationToken);
            return true;
        });

    public async Task<IReadOnlyList<(string Pid, string Command)>> ProcessesAsync(string containerId, CancellationToken cancellationToken)
    {
        var top = await CallAsync(() => _client.Containers.ListProcessesAsync(containerId, new ContainerListProcessesParameters(), cancellationToken));
        var titles = top.Titles ?? [];
        var pid = titles.IndexOf("PID");
        var command = titles.IndexOf("CMD") is >= 0 and var c ? c : titles.IndexOf("COMMAND");
        return pid < 0 || command < 0
            ? []
            : (top.Processes ?? []).Where(p => p.Count > Math.Max(pid, command)).Select(p => (p[pid], p[command])).ToList();
    }

    public async Task<IReadOnlyList<string>> MountSourcesAsync(string containerId, CancellationToken cancellationToken)
    {
        var inspect = await CallAsync(() => _client.Containers.InspectContainerAsync(containerId, cancellationToken));
        return (inspect.Mounts ?? []).Where(m => m.Type == "bind").Select(m => m.Source).ToList();
    }

    public async Task<bool?> RunHealthCheckAsync(string containerId, CancellationToken cancellationToken)
    {
        var inspect = await CallAsync(() => _client.Containers.InspectContainerAsync(containerId, cancellationToken));
        var test = inspect.Config?.Healthcheck?.Test;
        if (test is null || test.Count == 0 || test[0] == "NONE")
        {
            return null;
        }

        List<string> command = test[0] switch
        {
            "CMD" => [.. test.Skip(1)],
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', test.Skip(1))],
            _ => [.. test],
        };
        if (command.Count == 0)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var exec = await CallAsync(() => _client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = command,
                AttachStdout = true,
                AttachStderr = true,
            }, timeout.Token));
            using (var stream = await CallAsync(() => _client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), timeout.Token)))
            {
                await stream.ReadOutputToEndAsync(timeout.Token);
            }

            var result = await CallAsync(() => _client.Exec.InspectContainerExecAsync(exec.ID, timeout.Token));
            return !result.Running && result.ExitCode == 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (DockerApiException)
        {
            // Not running (any more), or not ready for exec yet.
            return false;
        }
    }

    public async Task<ContainerUsage?> StatsAsync(string containerId, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? sample = null;
        try
        {
            // stream=false: Docker takes two samples about a second apart, so precpu is filled in.
            await CallAsync(async () =>
            {
                await _client.Containers.GetContainerStatsAsync(containerId, new ContainerStatsParameters { Stream = false }, new Progress(s => sample = s), cancellationToken);
                return true;
            });
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }

        return sample is null ? null : ContainerUsage.Of(sample);
    }

    public async IAsyncEnumerable<(string Stream, string Line)> LogsAsync(string containerId, int tail, bool follow, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stream = await CallAsync(() => _client.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = tail.ToString(CultureInfo.InvariantCulture),
            Follow = follow,
            Since = since?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        }, cancellationToken));

        var buffer = new byte[16 * 1024];
        var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }

            if (!pending.TryGetValue(read.Target, out var text))
            {
                pending[read.Target] = text = new StringBuilder();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var name = read.Target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout";
            string all = text.ToString();
            int newline;
            var start = 0;
            while ((newline = all.IndexOf('\n', start)) >= 0)
            {
                yield return (name, all[start..newline].TrimEnd('\r'));
                start = newline + 1;
            }

            text.Clear().Append(all[start..]);
        }

        foreach (var (target, text) in pending)
        {
            if (text.Length > 0)
            {
                yield return (target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout", text.ToString());
            }
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Takes the one stats frame of a stream=false call (synchronously, unlike Progress&lt;T&gt;, which posts to the thread pool).</summary>
    private sealed class Progress(Action<ContainerStatsResponse> take) : IProgress<ContainerStatsResponse>
    {
        public void Report(ContainerStatsResponse value) => take(value);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException ex)
        {
            throw AgentException.Unavailable($"Docker at {_endpoint} is unreachable: {ex.Message}; check that dockerd runs on this host", ex);
        }
        catch (IOException ex)
        {
            throw AgentException.Unavailable($"Docker at {_endpoint} is unreachable: {ex.Message}; check that dockerd runs on this host", ex);
        }
        catch (TimeoutException ex)
        {
            throw AgentException.Unavailable($"Docker at {_endpoint} did not answer in time; check that dockerd runs on this host", ex);
        }
    }
}
