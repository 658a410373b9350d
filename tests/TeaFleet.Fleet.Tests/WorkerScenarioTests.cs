using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's scenario 3 on the real sandbox: the worker stopped, only the app's queue flushed in
/// staging's real Redis (other keys kept), the worker back on the older release. Leaves staging's worker on v3.
/// </summary>
public sealed class WorkerScenarioTests(FleetFixture fleet)
{
    private Task<string> RedisAsync(params string[] args) =>
        Processes.CheckedAsync("redis-cli", ["-h", fleet.Staging.Address, "-p", "6379", .. args]);

    [Fact]
    public async Task Scenario_worker_stops_the_worker_flushes_only_the_queue_and_rolls_the_worker_back()
    {
        var inventory = fleet.NewInventory();
        // A real switch to v3 (through v2, whatever the tests before left): every service's log starts with it,
        // so what diagnose reads is this test's own (another test's switch noise, a frontend's 502s while its
        // backend restarted, would be "performance" next to the worker).
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v2", "--yes");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        // v3's worker fails export jobs that carry no payload (each an ERROR line with its traceback) and keeps
        // running: diagnose names the worker, with its log as evidence, and the scenario's command. (Past the
        // worker's first 30 s, which diagnose does not judge: the jobs fail in its settled log.)
        var listed = await new TeaFleet.Agent.V1.Services.ServicesClient(fleet.Agent(fleet.Staging)).ListAsync(new TeaFleet.Agent.V1.ListServicesRequest(), cancellationToken: TestContext.Current.CancellationToken);
        var settled = listed.Services.Single(s => s.Name == "worker").StartedAt.ToDateTimeOffset().AddSeconds(31) - DateTimeOffset.UtcNow;
        if (settled > TimeSpan.Zero)
        {
            await Task.Delay(settled, TestContext.Current.CancellationToken);
        }

        await RedisAsync(["RPUSH", "tea:jobs", .. Enumerable.Range(1, 6).Select(i => $"{{\"id\":\"export-{i}\",\"kind\":\"export\"}}")]);
        for (var i = 0; i < 60 && (await RedisAsync("LLEN", "tea:jobs")).Trim() != "0"; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        var diagnose = await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json", "--queue-wait", "0");
        Assert.True(diagnose.ExitCode == 1, diagnose.ToString());
        var diagnosis = diagnose.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).Single(e => e.GetProperty("type").GetString() == "diagnosis");
        Assert.True(diagnosis.GetProperty("issue").GetString() == "worker", diagnose.ToString());
        Assert.Equal("teafleet scenario worker staging", diagnosis.GetProperty("command").GetString());
        Assert.Contains(diagnosis.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "log-errors"
            && f.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.True && f.GetProperty("evidence").GetString()!.StartsWith("worker: ", StringComparison.Ordinal)
            && f.GetProperty("evidence").GetString()!.Contains("KeyError: 'payload'", StringComparison.Ordinal));

        // Jobs the worker would process wrongly wait in the queue (the worker is held so they stay there),
        // next to a result key of the app's that must survive.
        await Processes.CheckedAsync("docker", "-H", fleet.Staging.DockerHost, "stop", "tea_worker");
        await RedisAsync("RPUSH", "tea:jobs", "{\"bad\":1}", "{\"bad\":2}", "{\"bad\":3}");
        await RedisAsync("SET", "tea:done:fleet-test", "kept");
        try
        {
            var run = await fleet.TeaFleetOkAsync(inventory, "scenario", "worker", "staging", "--to", "v2", "--json");

            var flush = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Single(e => e.GetProperty("type").GetString() == "step_finished" && e.GetProperty("operation").GetString() == "queue.flush");
            Assert.Equal("succeeded", flush.GetProperty("result").GetString());
            Assert.Equal("1", flush.GetProperty("data").GetProperty("keys_removed").GetString());
            Assert.Equal("0", (await RedisAsync("LLEN", "tea:jobs")).Trim());
            Assert.Equal("kept", (await RedisAsync("GET", "tea:done:fleet-test")).Trim());
            // The worker runs v2 again; the backend and frontend were not touched.
            var services = await fleet.Staging.ContainerStatesAsync();
            Assert.Equal("running", services["worker"]);
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(fleet.Staging));
            var releases = await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json");
            Assert.Contains(fleet.Commits["v2"], releases.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await RedisAsync("DEL", "tea:done:fleet-test", "tea:jobs");
            await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        }
    }
}
