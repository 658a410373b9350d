using System.Text.Json;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The watch after a rollback on the real sandbox: the agents' Services.Stats and the since-filtered logs it
/// reads, a quiet Type 1 whose report ticks "no error spikes", "external monitors" and "resource usage" from
/// what the watch saw, and a backend that dies during the watch failing the run loudly with the next move.
/// </summary>
public sealed class MonitorTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_gives_each_running_container_its_memory_and_logs_since_a_time_give_only_newer_lines()
    {
        var services = new Services.ServicesClient(fleet.Agent(fleet.Staging));

        var stats = await services.StatsAsync(new ServiceStatsRequest(), cancellationToken: Ct);

        var db = stats.Services.Single(s => s.Name == "db");
        Assert.InRange(db.MemoryBytes, 1 << 20, db.MemoryLimitBytes - 1);
        Assert.True(db.OnlineCpus >= 1);
        Assert.Contains(stats.Services, s => s.Name == "backend");
        var all = await LogsAsync(services, null);
        var none = await LogsAsync(services, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.NotEmpty(all);
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_quiet_rollback_is_watched_and_its_report_ticks_the_three_items_from_the_watchs_evidence()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");

        var result = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--yes", "--json");

        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
        var watch = Lines(result.StandardOutput).Last(e => e.GetProperty("type").GetString() == "step_finished" && e.TryGetProperty("operation", out var o) && o.GetString() == "monitor");
        Assert.StartsWith("held for 6 s", watch.GetProperty("message").GetString(), StringComparison.Ordinal);
        var report = File.ReadAllText(Lines(result.StandardOutput).Last(e => e.GetProperty("type").GetString() == "run_finished").GetProperty("report").GetString()!);
        // Verified: not a spike (a line or two of the switch's own noise may fall in the window).
        Assert.Matches(@"- \[x\] No error spikes in logs \(verified by the watch after the rollback: \d+ error lines? in \d+ s of every service's log", report);
        Assert.Contains("the agents' /healthz, as an uptime monitor sees them (last: staging-1 HTTP 200)", report, StringComparison.Ordinal);
        Assert.Matches(@"- \[x\] Resource usage normal \(Docker's stats at the start and end of the watch: busiest [0-9.]+% CPU: \w+ on staging-1; nearest its memory limit [0-9.]+% of its limit", report);
    }

    [Fact]
    public async Task A_backend_that_dies_during_the_watch_fails_the_rollback_loudly_with_the_runbooks_next_move()
    {
        var inventory = fleet.NewInventory(text => text.Replace("monitor: { window: 6s, interval: 2s, host_window: 3s }", "monitor: { window: 60s, interval: 2s, host_window: 3s }", StringComparison.Ordinal));
        await fleet.DeployHistoryAsync(inventory, "staging");
        var stateDir = Path.Combine(Path.GetDirectoryName(inventory)!, "state");
        try
        {
            var run = fleet.TeaFleetAsync(inventory, "rollback", "staging", "--yes");
            await WatchStartedAsync(stateDir, run);
            await Processes.CheckedAsync("docker", "-H", fleet.Staging.DockerHost, "stop", "tea_backend");

            var result = await run;

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("THE ROLLBACK DID NOT HOLD: staging-1/backend is exited (it ran when the watch began)", result.All, StringComparison.Ordinal);
            Assert.Contains("'teafleet diagnose staging'", result.All, StringComparison.Ordinal);
            Assert.Contains("the runbook's next move is a Type 2", result.All, StringComparison.Ordinal);
            Assert.Contains("Contacts:", result.All, StringComparison.Ordinal);
        }
        finally
        {
            await Processes.CheckedAsync("docker", "-H", fleet.Staging.DockerHost, "start", "tea_backend");
        }
    }

    /// <summary>Waits until the run's journal says the watch began (the run must not end first).</summary>
    private static async Task WatchStartedAsync(string stateDir, Task<ProcessResult> run)
    {
        for (var i = 0; i < 600 && !run.IsCompleted; i++)
        {
            var journals = Directory.Exists(stateDir) ? Directory.GetFiles(stateDir, "*.jsonl", SearchOption.AllDirectories) : [];
            if (journals.Any(j => File.ReadLines(j).Any(l => l.Contains("\"step_started\"", StringComparison.Ordinal) && l.Contains("\"monitor\"", StringComparison.Ordinal))))
            {
                return;
            }

            await Task.Delay(250, Ct);
        }

        Assert.Fail($"the watch never began: {(run.IsCompleted ? (await run).ToString() : "timed out")}");
    }

    private static async Task<List<string>> LogsAsync(Services.ServicesClient services, DateTimeOffset? since)
    {
        var request = new ServiceLogsRequest { Service = "backend", Tail = 50 };
        if (since is { } time)
        {
            request.Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time);
        }

        var lines = new List<string>();
        using var call = services.Logs(request, cancellationToken: Ct);
        while (await call.ResponseStream.MoveNext(Ct))
        {
            lines.Add(call.ResponseStream.Current.Line);
        }

        return lines;
    }

    private static IEnumerable<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
