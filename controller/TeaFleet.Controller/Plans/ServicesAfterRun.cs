using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// What is down once a run that stopped, started, switched or restored has ended (issue 11 item 15): every
/// service of each host's release that has no running container or is unhealthy or crash-looping, one-shots that ran aside (an exited
/// migrator is done, not down), and services the release does not define left out. The run's end says
/// which are down, and the report ticks "all services running" only when none is: a Type 3 that stopped a
/// service it never started again is not a rollback with everything running, whatever its steps said.
/// </summary>
public static class ServicesAfterRun
{
    /// <summary>Whether the plan changes what runs (a stop, a start, a switch, a restore, which stops and starts).</summary>
    public static bool Touches(Plan plan) => plan.Steps.Any(s => s is StopServicesStep or StartServicesStep or RecreateServicesStep or RestoreStep);

    /// <summary>
    /// How recently a container without a health check must have been restarted to count as restarting
    /// still (a worker restarted once, hours ago, and running since is up).
    /// </summary>
    private static readonly TimeSpan RecentRestart = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Why a service is down, or null when it is up: no running container; or a running one that is
    /// unhealthy; or one Docker keeps restarting (a crash loop is "running" between two exits: restarted and
    /// not healthy yet, or without a health check and restarted moments ago).
    /// </summary>
    public static string? Down(ServiceStatus service, DateTimeOffset now)
    {
        if (service.State != "running")
        {
            return service.State;
        }

        if (service.Health == "unhealthy")
        {
            return "running, unhealthy";
        }

        var restarts = service.RestartCount == 1 ? "restarted once" : $"restarted {service.RestartCount} times";
        return service.RestartCount > 0 && service.Health == "starting" ? $"crash-looping: {restarts}, not healthy yet"
            : service.RestartCount > 0 && service.Health == "none" && service.StartedAt?.ToDateTimeOffset() is { } started && now - started < RecentRestart
                ? $"crash-looping: {restarts}, the last {(int)(now - started).TotalSeconds} s ago"
            : null;
    }

    /// <summary>"HOST: SERVICE (STATE)" for each service down; null when a host could not be read (nothing is claimed then).</summary>
    public static async Task<IReadOnlyList<string>?> DownAsync(IFleetReader reader, EnvironmentConfig environment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var down = new List<string>();
        try
        {
            foreach (var host in environment.Hosts)
            {
                var services = await reader.GetRunningServicesAsync(host, cancellationToken).ConfigureAwait(false);
                var notRunning = services.Where(s => !s.NotInRelease && Down(s, now) is not null).ToList();
                if (notRunning.Count == 0)
                {
                    // The usual end: one read per host, no release's compose files asked.
                    continue;
                }

                var oneShots = new HashSet<string>(StringComparer.Ordinal);
                foreach (var release in services.Select(s => s.Release).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
                {
                    var set = await reader.GetServiceSetAsync(host, release, cancellationToken).ConfigureAwait(false);
                    oneShots.UnionWith(set?.Services.Where(s => s.OneShot).Select(s => s.Name) ?? []);
                }

                down.AddRange(notRunning.Where(s => !oneShots.Contains(s.Name) || s.State == "running").Select(s => $"{host.Name}: {s.Name} ({Down(s, now)})"));
            }
        }
        catch (FleetException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return down;
    }
}
