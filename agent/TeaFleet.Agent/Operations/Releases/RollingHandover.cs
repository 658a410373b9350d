using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>
/// A switch of one service without a gap (docs/adr/0014-zero-downtime-type-1.md): a stand-in of the target
/// release starts on the second port beside the running container; once it answers, the proxy's upstream file
/// names the stand-in and the proxy reloads (nginx: SIGHUP; its old workers finish their requests and exit);
/// the service's own container is recreated on its own port, as compose defines it; once it answers, the proxy
/// moves back, and the stand-in is stopped and removed when the proxy's old workers are gone. Every moment some
/// container of the service answers behind the proxy, and afterwards the app is exactly as its compose files say.
/// </summary>
public sealed partial class RollingHandover(
    ComposeProject compose,
    IContainerRuntime runtime,
    HealthProber prober,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// How often a wait looks again: a probe of 127.0.0.1 or a `top` of the proxy costs a few milliseconds, and
    /// every look saved is time the switch takes beyond the start-ups it must wait for (benchmarks.md).
    /// </summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>The longest pause between two looks at the proxy's processes while its old workers drain.</summary>
    private static readonly TimeSpan ReloadPollLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a wait for a stand-in asks Docker whether it has exited (it fails sooner then).</summary>
    private static readonly TimeSpan GoneCheck = TimeSpan.FromSeconds(1);

    /// <summary>How long the proxy's old workers may take to finish their requests after a reload.</summary>
    private static readonly TimeSpan ReloadLimit = TimeSpan.FromSeconds(60);

    private AppOptions App => options.Value.App;

    /// <summary>The service's rolling configuration, if it has one.</summary>
    public RollingService? Of(string service) => App.Rolling.FirstOrDefault(r => r.Service == service);

    /// <summary>
    /// Why the service cannot be handed over at the release (null: it can): not configured, not on the host's
    /// network, its proxy not defined there or not running, or the proxy does not mount the upstream file.
    /// </summary>
    public async Task<string?> CannotRollAsync(ReleaseServiceSet target, string service, CancellationToken cancellationToken)
    {
        var rolling = Of(service);
        if (rolling is null)
        {
            return "not in Agent:App:Rolling";
        }

        if (target.Find(service) is not { } definition)
        {
            return $"not defined at {GitRefs.Short(target.Commit)}";
        }

        if (definition.NetworkMode != "host")
        {
            return "not on the host's network (network_mode: host): a stand-in on another port would not be reachable at 127.0.0.1";
        }

        if (target.Find(rolling.Proxy) is null)
        {
            return $"its proxy {rolling.Proxy} is not defined at {GitRefs.Short(target.Commit)}";
        }

        var containers = await runtime.ListServicesAsync(App.ProjectName, cancellationToken);
        if (!containers.TryGetValue(rolling.Proxy, out var proxy) || proxy.State != "running")
        {
            return $"its proxy {rolling.Proxy} is not running";
        }

        var mounts = await runtime.MountSourcesAsync(proxy.ContainerId, cancellationToken);
        var file = Path.GetFullPath(rolling.UpstreamFile);
        if (!mounts.Any(m => file == m || file.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            return $"its proxy {rolling.Proxy} does not mount {rolling.UpstreamFile} (the upstream file it must include): it would not see the move";
        }

        return null;
    }

    /// <summary>Writes each configured upstream file that does not exist yet, naming the service's own port (at the agent's start, before the proxy needs it).</summary>
    public void EnsureUpstreamFiles()
    {
        foreach (var rolling in App.Rolling.Where(r => !File.Exists(r.UpstreamFile)))
        {
            WriteUpstream(rolling, rolling.Port);
        }
    }

    /// <summary>The handover of <paramref name="rolling"/>'s service to <paramref name="commit"/>; returns the step's summary.</summary>
    public async Task<string> HandOverAsync(OperationContext context, string step, string commit, RollingService rolling, TimeSpan timeout, CancellationToken ct)
    {
        var service = rolling.Service;
        var proxy = await ProxyAsync(rolling, ct);
        await RemoveStandInsAsync(context, step, rolling, proxy, ct);
        if (await AnswersAsync(rolling.StandInPort, ct))
        {
            throw new InvalidOperationException(
                $"port {rolling.StandInPort} (the stand-in's, Agent:App:Rolling) is already in use on this host; free it or choose another port, then run again: nothing was changed");
        }

        // 1. The stand-in, of the target release, on the second port.
        var name = $"{compose.StandInProject}-{service}";
        context.Log(step, $"starting a stand-in of {service} at {GitRefs.Short(commit)} on port {rolling.StandInPort} ({name})");
        await compose.RunStandInAsync(commit, service, name, new Dictionary<string, string> { [rolling.PortVariable] = rolling.StandInPort.ToString(CultureInfo.InvariantCulture) }, line => context.Log(step, line), ct);
        var problem = await WaitReadyAsync(rolling, rolling.StandInPort, timeout, () => StandInGoneAsync(rolling, ct), ct);
        if (problem is not null)
        {
            var tail = await StandInTailAsync(rolling, ct);
            await RemoveStandInsAsync(context, step, rolling, null, ct);
            throw new InvalidOperationException(
                $"the stand-in of {service} at {GitRefs.Short(commit)} did not answer on port {rolling.StandInPort} ({problem}); nothing was changed: {service} serves as before. Its last log lines: {tail}");
        }

        // 2. The proxy to the stand-in; its old workers finish their requests to the old container.
        try
        {
            WriteUpstream(rolling, rolling.StandInPort);
            await ReloadAsync(context, step, proxy, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WriteUpstream(rolling, rolling.Port);
            await TryReloadAsync(context, step, proxy, ct);
            await RemoveStandInsAsync(context, step, rolling, null, ct);
            throw new InvalidOperationException($"{rolling.Proxy} did not move to the stand-in ({ex.Message}); moved back, stand-in removed: {service} serves as before");
        }

        context.Log(step, $"{rolling.Proxy} now forwards {service} to the stand-in on port {rolling.StandInPort}");

        // 3. The service's own container, recreated as compose defines it, on its own port.
        await compose.UpAsync(commit, [service], line => context.Log(step, line), ct);
        problem = await WaitReadyAsync(rolling, rolling.Port, timeout, null, ct);
        if (problem is not null)
        {
            // The stand-in runs the target release and keeps the app up; the next switch moves the proxy back first.
            throw new InvalidOperationException(
                $"{service} at {GitRefs.Short(commit)} did not answer on port {rolling.Port} within {timeout.TotalSeconds:0} s ({problem}); {rolling.Proxy} still sends its traffic to the stand-in {name} (the same release, port {rolling.StandInPort}), so users are served. Read its log (teafleet logs ENV {service}), fix, and run again: the next switch moves the proxy back and removes the stand-in");
        }

        // 4. Back to the service's own container. Once the proxy's old workers are gone no request reaches the
        // stand-in; RetireStandInAsync removes it (beside the switch's verify: it is off the traffic's path).
        WriteUpstream(rolling, rolling.Port);
        await ReloadAsync(context, step, proxy, ct);
        return $"{service} handed over to {GitRefs.Short(commit)} with no gap: stand-in on {rolling.StandInPort}, recreated on {rolling.Port}, {rolling.Proxy} moved there and back";
    }

    /// <summary>
    /// After <see cref="HandOverAsync"/>: DrainSeconds, then the stand-in is stopped and removed. A stand-in that
    /// cannot be removed does not fail the switch (the service already serves from its own container and the
    /// proxy no longer names the stand-in): the summary says so, and the next switch removes it first.
    /// </summary>
    public async Task<string> RetireStandInAsync(OperationContext context, string step, RollingService rolling, CancellationToken ct)
    {
        if (rolling.DrainSeconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(rolling.DrainSeconds), time, ct);
        }

        try
        {
            await RemoveStandInsAsync(context, step, rolling, null, ct);
            return $"the stand-in of {rolling.Service} is stopped and removed";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"the stand-in of {rolling.Service} ({compose.StandInProject}-{rolling.Service}) could not be removed ({ex.Message}); {rolling.Proxy} no longer sends to it, and the next switch removes it first";
        }
    }

    private async Task<ContainerState> ProxyAsync(RollingService rolling, CancellationToken ct)
    {
        var containers = await runtime.ListServicesAsync(App.ProjectName, ct);
        return containers.TryGetValue(rolling.Proxy, out var proxy) && proxy.State == "running"
            ? proxy
            : throw new InvalidOperationException($"the proxy {rolling.Proxy} is not running, so {rolling.Service} cannot be handed over; start it (teafleet start ENV {rolling.Proxy}) and run again: nothing was changed");
    }

    /// <summary>
    /// Removes the service's stand-ins (one a failed handover left behind, or the one just used); when the proxy
    /// is given, it is moved to the service's own port first, so it never forwards to a removed stand-in.
    /// </summary>
    private async Task RemoveStandInsAsync(OperationContext context, string step, RollingService rolling, ContainerState? proxy, CancellationToken ct)
    {
        var standIns = await StandInsAsync(rolling, ct);
        if (standIns.Count == 0)
        {
            return;
        }

        if (proxy is not null)
        {
            context.Log(step, $"a stand-in of {rolling.Service} is left from an earlier switch: {rolling.Proxy} moves back to port {rolling.Port} before it is removed");
            WriteUpstream(rolling, rolling.Port);
            await ReloadAsync(context, step, proxy, ct);
        }

        foreach (var standIn in standIns)
        {
            if (standIn.State is "running" or "restarting" or "paused")
            {
                await runtime.StopAsync(standIn.ContainerId, App.StopTimeoutSeconds, ct);
            }

            await runtime.RemoveContainerAsync(standIn.ContainerId, ct);
            context.Log(step, $"removed the stand-in of {rolling.Service} ({standIn.ContainerId[..Math.Min(12, standIn.ContainerId.Length)]})");
        }
    }

    /// <summary>
    /// Null once the service answers 2xx on the port's health path; else the last answer, at the timeout or
    /// as soon as <paramref name="gone"/> says the container exited (checked about once a second).
    /// </summary>
    private async Task<string?> WaitReadyAsync(RollingService rolling, int port, TimeSpan timeout, Func<Task<string?>>? gone, CancellationToken ct)
    {
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{rolling.HealthPath}";
        var started = time.GetTimestamp();
        var checkedGone = started;
        string? problem;
        do
        {
            problem = await prober.ProbeAsync(url, ct);
            if (problem is null)
            {
                return null;
            }

            if (gone is not null && time.GetElapsedTime(checkedGone) >= GoneCheck)
            {
                checkedGone = time.GetTimestamp();
                if (await gone() is { } exited)
                {
                    return $"{problem}; {exited}";
                }
            }

            await Task.Delay(Poll, time, ct);
        }
        while (time.GetElapsedTime(started) < timeout);
        return problem;
    }

    /// <summary>The service's stand-ins in their own compose project (none, or one a handover runs or left), oldest first.</summary>
    private async Task<List<ContainerDetails>> StandInsAsync(RollingService rolling, CancellationToken ct) =>
        (await runtime.ListContainersAsync(compose.StandInProject, ct)).Where(c => c.Service == rolling.Service).ToList();

    /// <summary>The stand-in's last log lines, joined, for a failure message (it is removed right after).</summary>
    private async Task<string> StandInTailAsync(RollingService rolling, CancellationToken ct)
    {
        try
        {
            var standIn = (await StandInsAsync(rolling, ct)).LastOrDefault();
            if (standIn is null)
            {
                return "(none: it was not created)";
            }

            var lines = new List<string>();
            await foreach (var (_, line) in runtime.LogsAsync(standIn.ContainerId, 10, follow: false, since: null, ct))
            {
                lines.Add(line);
            }

            return lines.Count == 0 ? "(none)" : string.Join(" | ", lines);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"(could not be read: {ex.Message})";
        }
    }

    /// <summary>"the stand-in exited" when the service's stand-in no longer runs; null while it does.</summary>
    private async Task<string?> StandInGoneAsync(RollingService rolling, CancellationToken ct)
    {
        var standIn = (await StandInsAsync(rolling, ct)).LastOrDefault();
        return standIn is null || standIn.State is "running" or "restarting" or "created" ? null : $"the stand-in {standIn.State}";
    }

    /// <summary>Whether anything accepts connections on the port at 127.0.0.1.</summary>
    private static async Task<bool> AnswersAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, limit.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
