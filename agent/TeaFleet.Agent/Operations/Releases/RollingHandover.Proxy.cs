using System.Globalization;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>The proxy's side of a handover: the upstream file it includes, and its reload (nginx: SIGHUP, its old workers gone).</summary>
public sealed partial class RollingHandover
{
    /// <summary>The upstream file, replaced in one rename (readable by all: the proxy reads it): one server line, the port given.</summary>
    private void WriteUpstream(RollingService rolling, int port) =>
        State.Durable.ReplaceFile(rolling.UpstreamFile,
            $"# Written by the TeaFleet agent on {options.Value.HostName} (Agent:App:Rolling, {rolling.Service}); include it in the upstream block.\nserver 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>
    /// SIGHUP to the proxy, then waits until nginx's worker processes from before it are gone (they exit once
    /// their requests are answered) and new ones run: the new upstream is in use, the old one no longer. nginx
    /// that refuses the new configuration keeps its workers: that fails here. A proxy whose processes cannot be
    /// seen gets a fixed second.
    /// </summary>
    private async Task ReloadAsync(OperationContext context, string step, ContainerState proxy, CancellationToken ct)
    {
        var before = await WorkersAsync(proxy.ContainerId, ct);
        await runtime.SignalAsync(proxy.ContainerId, "HUP", ct);
        if (before is not { Count: > 0 })
        {
            context.Log(step, "the proxy's worker processes cannot be seen (Docker's top): waiting 1 s for its reload");
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            return;
        }

        var started = time.GetTimestamp();
        var wait = Poll;
        while (time.GetElapsedTime(started) < ReloadLimit)
        {
            // Every look is a `top` that dockerd runs ps for: quick at first (a reload takes tens of ms), then
            // less often while old workers finish long requests.
            await Task.Delay(wait, time, ct);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 3 / 2, ReloadPollLimit.Ticks));
            var all = await runtime.ProcessesAsync(proxy.ContainerId, ct);
            var now = all.Where(p => p.Command.Contains("worker process", StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet(StringComparer.Ordinal);
            var fresh = all.Where(p => now.Contains(p.Pid) && !before.Contains(p.Pid) && !p.Command.Contains("shutting down", StringComparison.Ordinal)).ToList();
            if (fresh.Count > 0 && !now.Overlaps(before))
            {
                return;
            }

            if (time.GetElapsedTime(started) > TimeSpan.FromSeconds(5) && fresh.Count == 0)
            {
                throw new InvalidOperationException("the proxy did not reload on SIGHUP (no new worker process within 5 s: nginx refused the configuration? its log says why)");
            }
        }

        throw new InvalidOperationException($"the proxy's old worker processes did not finish within {ReloadLimit.TotalSeconds:0} s");
    }

    private async Task TryReloadAsync(OperationContext context, string step, ContainerState proxy, CancellationToken ct)
    {
        try
        {
            await ReloadAsync(context, step, proxy, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Log(step, "reloading the proxy again failed: " + ex.Message);
        }
    }

    private async Task<HashSet<string>?> WorkersAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return (await runtime.ProcessesAsync(containerId, ct)).Where(p => p.Command.Contains("worker process", StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
