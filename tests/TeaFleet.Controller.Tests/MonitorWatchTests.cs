using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The watch after a rollback on a fake fleet and a fake clock: it holds for the window when nothing goes
/// wrong, ignores one blip, and fails loudly and at once on a URL that keeps failing, a restart or an error
/// spike; its evidence feeds the checklist. The fleet tests watch the real sandbox.
/// </summary>
public sealed class MonitorWatchTests : IDisposable
{
    private static readonly Uri Health1 = new("http://10.77.0.21/health");
    private static readonly Uri Agent1 = new("http://10.77.0.21:7080/healthz");
    private static readonly Uri Agent2 = new("http://10.77.0.22:7080/healthz");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _dir = new();
    private readonly EnvironmentConfig _production;
    private readonly FakeFleetReader _fleet = new();
    private readonly List<string> _said = [];

    public MonitorWatchTests()
    {
        _production = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory)).FindEnvironment("production")!;
        foreach (var host in _production.Hosts)
        {
            _fleet.WithRunning(host.Name, ("backend", Samples.C1, "running"), ("worker", Samples.C1, "running"));
            _fleet.Stats[host.Name] = [new ServiceStats { Name = "backend", CpuPercent = 12.5, MemoryBytes = 300L << 20, MemoryLimitBytes = 1000L << 20 }];
        }

        foreach (var url in (Uri[])[Health1, Agent1, Agent2])
        {
            _fleet.HealthAnswers[url] = (true, "HTTP 200");
        }
    }

    public void Dispose() => _dir.Dispose();

    private static MonitorConfig Config => MonitorConfig.Default with { Window = TimeSpan.FromSeconds(20), Interval = TimeSpan.FromSeconds(5) };

    /// <summary>Runs the watch, moving the clock one interval at a time; <paramref name="between"/> changes the fleet after each round.</summary>
    private async Task<StepOutcome> WatchAsync(Action<int>? between = null)
    {
        var watch = new MonitorWatch(_fleet, _time).RunAsync(Config, _production.Hosts, [Health1], Config.Window, Config.Interval,
            p => _said.Add(p.Message), TestContext.Current.CancellationToken);
        for (var round = 1; round <= 20 && !watch.IsCompleted; round++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            between?.Invoke(round);
            _time.Advance(Config.Interval);
        }

        return await watch;
    }

    [Fact]
    public async Task A_quiet_fleet_holds_for_the_window_and_the_evidence_names_every_agent_and_the_busiest_container()
    {
        var outcome = await WatchAsync();

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.StartsWith("held for 20 s", outcome.Message, StringComparison.Ordinal);
        var data = outcome.Data;
        Assert.Equal("20", data[MonitorResultKeys.Seconds]);
        Assert.Equal("0", data[MonitorResultKeys.FailedProbes]);
        Assert.Equal("prod-1 HTTP 200, prod-2 HTTP 200", data[MonitorResultKeys.AgentHealth]);
        Assert.Equal("0", data[MonitorResultKeys.ErrorLines]);
        Assert.Equal("12.5% CPU: backend on prod-1", data[MonitorResultKeys.CpuMax]);
        Assert.Equal("30% of its limit (300 MiB of 1000 MiB): backend on prod-1", data[MonitorResultKeys.MemoryMax]);
        Assert.Equal("true", data[MonitorResultKeys.ResourcesNormal]);
    }

    [Fact]
    public async Task One_failed_probe_is_a_blip_two_in_a_row_fail_the_watch_loudly_before_the_window_ends()
    {
        var blip = await WatchAsync(round => _fleet.HealthAnswers[Health1] = round == 1 ? (false, "HTTP 502") : (true, "HTTP 200"));
        Assert.True(blip.Succeeded, blip.Message);
        Assert.Contains(_said, s => s.StartsWith($"blip: {Health1} -> HTTP 502", StringComparison.Ordinal));

        _said.Clear();
        var started = _time.GetUtcNow();
        var down = await WatchAsync(round => _fleet.HealthAnswers[Health1] = (false, "HTTP 502"));

        Assert.False(down.Succeeded);
        Assert.StartsWith($"THE ROLLBACK DID NOT HOLD: {Health1} failed 2 probes in a row: HTTP 502", down.Message, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() - started < Config.Window);
    }

    [Fact]
    public async Task An_agents_healthz_that_fails_is_what_an_uptime_monitor_sees_not_the_apps_verdict()
    {
        var outcome = await WatchAsync(round => _fleet.HealthAnswers[Agent2] = (false, "Connection refused"));

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains(_said, s => s.StartsWith($"the agent's /healthz on prod-2 ({Agent2}) -> Connection refused: an uptime monitor would alert", StringComparison.Ordinal));
        var record = new StepRecord(9, PlanStep.ControllerHost, "monitor", null, _time.GetUtcNow(), _time.GetUtcNow(), outcome.Result, outcome.Message, 0, outcome.Data);
        var monitors = MonitorChecklist.ExternalMonitors(record, healthChecked: true);
        Assert.Equal(ChecklistState.NotDone, monitors.State);
        Assert.Contains("prod-2 Connection refused", monitors.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_restarts_during_the_watch_fails_it_with_the_service_and_host()
    {
        var outcome = await WatchAsync(round =>
        {
            if (round == 2)
            {
                _fleet.Running["prod-2"][0].RestartCount = 2;
            }
        });

        Assert.False(outcome.Succeeded);
        Assert.Contains("prod-2/backend restarted 2 times (a crash loop?)", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("prod-2/backend restarted 2 times (a crash loop?)", outcome.Data[MonitorResultKeys.Restarts]);
    }

    [Fact]
    public async Task More_error_lines_on_a_host_than_the_limit_is_an_error_spike_with_the_lines_as_evidence()
    {
        _fleet.LogTails["prod-1/worker"] = [.. Enumerable.Range(1, 11).Select(i => $"ERROR job {i} failed: KeyError: 'team_id'")];
        _fleet.LogTails["prod-1/backend"] = ["INFO GET /api/v1/records 200"];

        var outcome = await WatchAsync();

        Assert.False(outcome.Succeeded);
        Assert.Contains("error spike on prod-1: 11 error lines since the watch began (more than 10): worker 11", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("prod-1/worker: ERROR job 11 failed: KeyError: 'team_id'", outcome.LogLines);
        Assert.Equal("prod-1/worker 11", outcome.Data[MonitorResultKeys.ErrorsByService]);
    }

    [Fact]
    public async Task The_checklist_takes_the_watchs_evidence_and_a_container_near_its_memory_limit_is_not_normal()
    {
        _fleet.Stats["prod-2"] = [new ServiceStats { Name = "db", CpuPercent = 3, MemoryBytes = 950L << 20, MemoryLimitBytes = 1000L << 20 }];
        var outcome = await WatchAsync();
        var record = new StepRecord(9, PlanStep.ControllerHost, "monitor", null, _time.GetUtcNow(), _time.GetUtcNow(), outcome.Result, outcome.Message, 0, outcome.Data);

        var errors = MonitorChecklist.Errors(record);
        var monitors = MonitorChecklist.ExternalMonitors(record, healthChecked: true);
        var resources = MonitorChecklist.Resources(record);

        Assert.Equal(ChecklistState.Verified, errors.State);
        Assert.Contains("0 error lines in 20 s", errors.Evidence, StringComparison.Ordinal);
        Assert.Equal(ChecklistState.Verified, monitors.State);
        Assert.Contains("prod-1 HTTP 200, prod-2 HTTP 200", monitors.Evidence, StringComparison.Ordinal);
        Assert.Equal(ChecklistState.NotDone, resources.State);
        Assert.Contains("95% of its limit (950 MiB of 1000 MiB): db on prod-2", resources.Evidence, StringComparison.Ordinal);
        Assert.Equal(ChecklistState.NotDone, MonitorChecklist.Errors(null).State);
    }
}
