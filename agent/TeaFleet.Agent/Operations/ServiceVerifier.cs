using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Operations;

/// <summary>
/// Waits until the given services' containers run (and are healthy where they have a health check)
/// and the host's health URLs answer 2xx; on timeout fails with the failing service's last log lines.
/// </summary>
public sealed class ServiceVerifier(IContainerRuntime runtime, HealthProber prober, IOptions<AgentOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(150);

    public async Task<string> VerifyAsync(
        IReadOnlyList<string> services,
        IReadOnlyDictionary<string, string>? expectedImages,
        TimeSpan timeout,
        Action<string> onLine,
        CancellationToken cancellationToken)
    {
        var app = options.Value.App;
        var started = time.GetTimestamp();
        string? problem = null;
        string? failingService = null;
        var lastReported = "";
        while (time.GetElapsedTime(started) < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (problem, failingService) = await CheckContainersAsync(app.ProjectName, services, expectedImages, cancellationToken);
            if (problem is null)
            {
                foreach (var url in app.HealthUrls)
                {
                    problem = await prober.ProbeAsync(url, cancellationToken);
                    if (problem is not null)
                    {
                        failingService = null;
                        break;
                    }
                }
            }

            if (problem is null)
            {
                var elapsed = time.GetElapsedTime(started).TotalSeconds;
                return $"{string.Join(", ", services)} running and healthy, {app.HealthUrls.Count} health URL(s) answer 2xx ({elapsed:0.0} s)";
            }

            if (problem != lastReported)
            {
                onLine("waiting: " + problem);
                lastReported = problem;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        var message = $"not healthy after {timeout.TotalSeconds:0} s: {problem}";
        var logService = failingService ?? services.FirstOrDefault(s => s == "backend") ?? services.FirstOrDefault();
        if (logService is not null)
        {
            var lines = await LastLogLinesAsync(app.ProjectName, logService, cancellationToken);
            foreach (var line in lines)
            {
                onLine($"{logService} | {line}");
            }

            if (lines.Count > 0)
            {
                message += $". Last lines of {logService}: " + string.Join(" | ", lines.TakeLast(5));
            }
        }

        throw new InvalidOperationException(message);
    }

    private async Task<(string? Problem, string? Service)> CheckContainersAsync(
        string project, IReadOnlyList<string> services, IReadOnlyDictionary<string, string>? expectedImages, CancellationToken cancellationToken)
    {
        var containers = await runtime.ListServicesAsync(project, cancellationToken);
        foreach (var service in services)
        {
            if (!containers.TryGetValue(service, out var container))
            {
                return ($"{service} has no container", service);
            }

            if (expectedImages is not null && expectedImages.TryGetValue(service, out var image) && container.Image != image)
            {
                return ($"{service} runs {container.Image}, not {image}", service);
            }

            if (container.State == "running" && container.Health == "starting" &&
                await HostHealthUrlsPassAsync(cancellationToken) &&
                await runtime.RunHealthCheckAsync(container.ContainerId, cancellationToken) == true)
            {
                // Its own health check passes now; Docker would only say so at its next interval.
                // (Run only once the cheap URL probes pass: a health check competes with the app's start for CPU.)
                continue;
            }

            if (!container.IsReady)
            {
                return ($"{service} is {container.State}" + (container.Health == "none" ? "" : $" ({container.Health})"), service);
            }
        }

        return (null, null);
    }

    private async Task<bool> HostHealthUrlsPassAsync(CancellationToken cancellationToken)
    {
        foreach (var url in options.Value.App.HealthUrls)
        {
            if (await prober.ProbeAsync(url, cancellationToken) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<IReadOnlyList<string>> LastLogLinesAsync(string project, string service, CancellationToken cancellationToken)
    {
        try
        {
            var containers = await runtime.ListServicesAsync(project, cancellationToken);
            if (!containers.TryGetValue(service, out var container))
            {
                return [];
            }

            var lines = new List<string>();
            await foreach (var (_, line) in runtime.LogsAsync(container.ContainerId, 20, follow: false, cancellationToken))
            {
                lines.Add(line);
            }

            return lines;
        }
        catch (AgentException)
        {
            return [];
        }
    }
}
