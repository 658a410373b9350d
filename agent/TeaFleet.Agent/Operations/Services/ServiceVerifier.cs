using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Operations.Services;

/// <summary>
/// Waits until the given services' containers run (and are healthy where they have a health check)
/// and the host's health URLs answer 2xx; on timeout fails with the failing service's last log lines.
/// </summary>
public sealed class ServiceVerifier(IContainerRuntime runtime, HealthProber prober, IOptions<AgentOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(150);

    private const int CrashesBeforeGivingUp = 3;

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
        // A service that keeps dying (restart policy on, exit at start) fails the check early: waiting
        // the whole timeout for it helps nobody at 3 a.m.
        var crashes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastState = new Dictionary<string, string>(StringComparer.Ordinal);
        while (time.GetElapsedTime(started) < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? state;
            (problem, failingService, state) = await CheckContainersAsync(app.ProjectName, services, expectedImages, cancellationToken);
            if (failingService is not null && state is "restarting" or "exited" or "dead" && lastState.GetValueOrDefault(failingService) != state)
            {
                crashes[failingService] = crashes.GetValueOrDefault(failingService) + 1;
                if (crashes[failingService] >= CrashesBeforeGivingUp)
                {
                    problem = $"{failingService} keeps exiting (seen {state} {crashes[failingService]} times): it is crash-looping";
                    break;
                }
            }

            if (failingService is not null && state is not null)
            {
                lastState[failingService] = state;
            }

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

        var message = $"not healthy after {time.GetElapsedTime(started).TotalSeconds:0} s: {problem}";
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

    private async Task<(string? Problem, string? Service, string? State)> CheckContainersAsync(
        string project, IReadOnlyList<string> services, IReadOnlyDictionary<string, string>? expectedImages, CancellationToken cancellationToken)
    {
        var containers = await runtime.ListServicesAsync(project, cancellationToken);
        foreach (var service in services)
        {
            if (!containers.TryGetValue(service, out var container))
            {
                return ($"{service} has no container", service, null);
            }

            if (expectedImages is not null && expectedImages.TryGetValue(service, out var image) && container.Image != image)
            {
                return ($"{service} runs {container.Image}, not {image}", service, null);
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
                return ($"{service} is {container.State}" + (container.Health == "none" ? "" : $" ({container.Health})"), service, container.State);
            }
        }

        return (null, null, null);
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
            await foreach (var (_, line) in runtime.LogsAsync(container.ContainerId, 20, follow: false, since: null, cancellationToken))
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
