using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// One watch after a rollback (a <see cref="MonitorStep"/>): rounds of health probes every interval for the
/// window; each round also reads the services (a container that stopped or restarted since the start fails
/// it), every few rounds the error lines logged since the start (more than the inventory's limit on a host
/// fails it), and at the start and the end each container's resource use. A URL failing once is a blip,
/// reported; failing <see cref="MonitorConfig.HealthFailures"/> times in a row fails the watch. It stops at
/// the first failure: the operator needs to hear it now, not at the end of the window.
/// </summary>
public sealed class MonitorWatch(IFleetReader reader, TimeProvider timeProvider)
{
    /// <summary>Log lines read per service and round (the newest of those since the start).</summary>
    private const int LogTail = 2000;

    /// <summary>Logs are read every this many rounds (and in the last one): reading every service's log is the costly read.</summary>
    private const int LogEvery = 3;

    public async Task<StepOutcome> RunAsync(MonitorConfig config, IReadOnlyList<HostConfig> hosts, IReadOnlyList<Uri> urls, TimeSpan window, TimeSpan interval,
        Action<StepProgress> report, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetUtcNow();
        var deadline = start + window;
        var evidence = new MonitorEvidence(config, hosts, urls);
        void Say(string message) => report(new StepProgress(StepPhase.Progress, "monitor", message, -1, 0, timeProvider.GetUtcNow()));

        Say($"watching {hosts.Count} host{(hosts.Count == 1 ? "" : "s")} for {MonitorStep.Seconds(window)}: {evidence.Targets.Count} URL{(evidence.Targets.Count == 1 ? "" : "s")} every {MonitorStep.Seconds(interval)}, restarts, error lines, resource use");
        foreach (var host in hosts)
        {
            evidence.Baseline(host, await ServicesAsync(host, cancellationToken).ConfigureAwait(false));
        }

        await StatsAsync(hosts, evidence, cancellationToken).ConfigureAwait(false);
        var round = 0;
        while (true)
        {
            round++;
            var last = timeProvider.GetUtcNow() >= deadline;
            var answers = await Task.WhenAll(evidence.Targets.Select(u => reader.ProbeHealthAsync(u, cancellationToken))).ConfigureAwait(false);
            foreach (var answer in answers.OfType<HealthAnswer>())
            {
                if (evidence.Probe(answer) is { } blip)
                {
                    Say(blip);
                }
            }

            foreach (var host in hosts)
            {
                evidence.Services(host, await ServicesAsync(host, cancellationToken).ConfigureAwait(false));
            }

            if (round % LogEvery == 0 || last || evidence.Failure is not null)
            {
                foreach (var host in hosts)
                {
                    await LogsAsync(host, start, evidence, cancellationToken).ConfigureAwait(false);
                }
            }

            var elapsed = timeProvider.GetUtcNow() - start;
            if (evidence.Failure is { } failure)
            {
                await StatsAsync(hosts, evidence, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Failure($"THE ROLLBACK DID NOT HOLD: {failure} ({elapsed.TotalSeconds:0} s into the {MonitorStep.Seconds(window)} watch)",
                    evidence.LastErrors, evidence.Data(round, elapsed));
            }

            if (last)
            {
                await StatsAsync(hosts, evidence, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Success($"held for {MonitorStep.Seconds(window)}: {evidence.Summary(round)}", evidence.Data(round, elapsed));
            }

            if (round == 1 || round % 6 == 0)
            {
                Say($"{elapsed.TotalSeconds:0} s of {window.TotalSeconds:0} s: {evidence.Summary(round)}");
            }

            var wait = deadline - timeProvider.GetUtcNow();
            await Task.Delay(wait < interval ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The host's services, or null when its agent did not answer (counted as a failed probe of the host).</summary>
    private async Task<IReadOnlyList<TeaFleet.Agent.V1.ServiceStatus>?> ServicesAsync(HostConfig host, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetRunningServicesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }

    private async Task LogsAsync(HostConfig host, DateTimeOffset since, MonitorEvidence evidence, CancellationToken cancellationToken)
    {
        foreach (var service in evidence.Watched(host))
        {
            try
            {
                var lines = await reader.GetLogsSinceAsync(host, service, since, LogTail, cancellationToken).ConfigureAwait(false);
                evidence.Logs(host, service, LogErrors.Of(host.Name, service, lines));
            }
            catch (FleetException)
            {
                // The services read of the same round names an agent that does not answer.
            }
        }
    }

    private async Task StatsAsync(IReadOnlyList<HostConfig> hosts, MonitorEvidence evidence, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            try
            {
                if (await reader.GetStatsAsync(host, cancellationToken).ConfigureAwait(false) is { } stats)
                {
                    evidence.Stats(host, stats);
                }
            }
            catch (FleetException)
            {
                // Resource use is evidence for the checklist, not a reason to fail the watch.
            }
        }
    }
}
