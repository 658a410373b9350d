using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's scenario 3 on app B (Kiosk: its queue in Redis database 1 on port 6380 under kiosk:jobs, a
/// worker that exists only from 1.1.0): the worker stopped, only Kiosk's queue key flushed, the worker back on
/// the older release while api and admin keep theirs.
/// </summary>
public sealed class KioskWorkerScenarioTests(FleetFixture fleet)
{
    private Task<string> RedisAsync(params string[] args) =>
        Processes.CheckedAsync("redis-cli", ["-h", fleet.KioskStaging.Address, "-p", "6380", "-n", "1", .. args]);

    private async Task<string> ImageOfAsync(string service) =>
        (await Processes.CheckedAsync("docker", "-H", fleet.KioskStaging.DockerHost, "ps", "--filter", $"label=com.docker.compose.service={service}", "--format", "{{.Image}}")).Trim();

    [Fact]
    public async Task Scenario_worker_flushes_only_kiosks_queue_and_rolls_only_its_worker_back()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.3.0");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.4.0", "--yes");

        // Jobs the worker would process wrongly wait in the queue (the worker is held so they stay there),
        // next to a key of the app's that must survive.
        var worker = (await Processes.CheckedAsync("docker", "-H", host.DockerHost, "ps", "-q", "--filter", "label=com.docker.compose.service=worker")).Trim();
        await Processes.CheckedAsync("docker", "-H", host.DockerHost, "stop", worker);
        await RedisAsync("RPUSH", "kiosk:jobs", "{\"bad\":1}", "{\"bad\":2}");
        await RedisAsync("SET", "kiosk:fleet-test", "kept");
        try
        {
            var run = await fleet.TeaFleetOkAsync(inventory, "scenario", "worker", "staging", "--to", "1.3.0", "--json");

            var flush = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Single(e => e.GetProperty("type").GetString() == "step_finished" && e.GetProperty("operation").GetString() == "queue.flush");
            Assert.Equal("succeeded", flush.GetProperty("result").GetString());
            Assert.Equal("1", flush.GetProperty("data").GetProperty("keys_removed").GetString());
            Assert.Equal("0", (await RedisAsync("LLEN", "kiosk:jobs")).Trim());
            Assert.Equal("kept", (await RedisAsync("GET", "kiosk:fleet-test")).Trim());
            // Only the worker went back; api still serves 1.4.0.
            Assert.Equal($"kiosk-worker:{fleet.KioskCommits["1.3.0"]}", await ImageOfAsync("worker"));
            Assert.Equal(fleet.KioskCommits["1.4.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        }
        finally
        {
            await RedisAsync("DEL", "kiosk:fleet-test", "kiosk:jobs");
        }
    }
}
