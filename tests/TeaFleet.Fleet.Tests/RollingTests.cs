using System.Diagnostics;
using Grpc.Core;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// A Type 1 of the backend with no failed request, on the real sandbox (Agent:App:Rolling on app A's hosts): a
/// stand-in of the target on port 8001 takes the traffic through the frontend's nginx while the backend's own
/// container is recreated, then nginx moves back. A user's prober at 20 Hz through the public port sees no
/// failure; afterwards the backend reports the target's commit and nothing of the stand-in is left. And a
/// handover that cannot start (the stand-in's port taken) changes nothing. Leaves staging on v3.
/// </summary>
public sealed class RollingTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FleetHost Staging => fleet.Staging;

    /// <summary>Probes staging's public /health at 20 Hz until cancelled: (probes, failed, the first failures).</summary>
    private async Task<(int Probes, int Failed, List<string> Failures)> ProbeAsync(CancellationToken stop)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(3) };
        var (probes, failed, failures) = (0, 0, new List<string>());
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            probes++;
            try
            {
                using var response = await client.GetAsync($"http://{Staging.Address}/health", Ct);
                if (!response.IsSuccessStatusCode)
                {
                    failed++;
                    failures.Add($"{clock.Elapsed.TotalSeconds:0.00}s: {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failed++;
                failures.Add($"{clock.Elapsed.TotalSeconds:0.00}s: {e.Message}");
            }

            var next = TimeSpan.FromMilliseconds(50 * probes) - clock.Elapsed;
            if (next > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(next, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        return (probes, failed, failures.Take(5).ToList());
    }

    /// <summary>The 'modes' argument of the plan's switch step (its JSON).</summary>
    private static string Modes(ProcessResult plan) =>
        plan.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone())
            .Single(e => e.GetProperty("type").GetString() == "plan")
            .GetProperty("steps").EnumerateArray().First(s => s.GetProperty("operation").GetString() == "services.recreate")
            .GetProperty("arguments").GetProperty("modes").GetString()!;

    private async Task<string> StandInsAsync() =>
        (await Processes.CheckedAsync("docker", "-H", Staging.DockerHost, "ps", "-a", "-q", "--filter", "label=com.docker.compose.project=tea-standin")).Trim();

    [Fact]
    public async Task A_rollback_of_the_backend_hands_it_over_behind_nginx_and_no_probe_fails()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");

        // The plan names the mode per service and why: the backend alone rolls; with the frontend (its nginx)
        // in the same switch it is recreated, with the outage said.
        var alone = Modes(await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--to", "v2", "--services", "backend", "--json"));
        Assert.Equal("backend: rolling (no gap: a stand-in on 8001 behind frontend while it is recreated on 8000)", alone);
        var all = Modes(await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--to", "v2", "--json"));
        Assert.Contains("backend: recreate (an outage while it starts: its proxy frontend is recreated in the same switch", all, StringComparison.Ordinal);
        Assert.Contains("frontend: recreate (an outage while it starts: not in Agent:App:Rolling)", all, StringComparison.Ordinal);

        foreach (var (verb, to) in new[] { ("rollback", "v2"), ("deploy", "v3") })
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var prober = Task.Run(() => ProbeAsync(stop.Token), Ct);
            await Task.Delay(500, Ct);
            var run = verb == "rollback"
                ? await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", to, "--services", "backend", "--yes", "--json")
                : await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", to, "--services", "backend", "--yes", "--json");
            await Task.Delay(500, Ct);
            await stop.CancelAsync();
            var (probes, failed, failures) = await prober;

            Assert.True(failed == 0, $"{verb} {to}: {failed} of {probes} probes failed: {string.Join("; ", failures)}");
            Assert.True(probes > 20, $"only {probes} probes");
            Assert.Contains("frontend now forwards backend to the stand-in on port 8001", run.Flat, StringComparison.Ordinal);
            Assert.Equal(fleet.Commits[to], await fleet.BackendCommitAsync(Staging));
            Assert.Equal("", await StandInsAsync());
            Assert.Contains("server 127.0.0.1:8000;", await File.ReadAllTextAsync(Path.Combine(Staging.Dir, "upstreams", "backend.conf"), Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_handover_whose_stand_in_port_is_taken_is_refused_and_changes_nothing()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        var before = (await Staging.ContainerIdsAsync())["backend"];

        // Something else of the host's listens on the stand-in's port (in staging's namespace, loopback only).
        using var squatter = Process.Start(new ProcessStartInfo("nsenter", ["--net=/run/netns/tf-staging-1", "--", "python3", "-m", "http.server", "--bind", "127.0.0.1", "8001"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            for (var i = 0; i < 50 && (await Processes.RunAsync("nsenter", ["--net=/run/netns/tf-staging-1", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:8001/"], TimeSpan.FromSeconds(5))).StandardOutput.Trim() != "200"; i++)
            {
                await Task.Delay(100, Ct);
            }

            var run = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "v2", "--services", "backend", "--yes");

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("port 8001 (the stand-in's, Agent:App:Rolling) is already in use on this host", run.Flat, StringComparison.Ordinal);
            // The backend was not touched: the same container, still v3.
            Assert.Equal(before, (await Staging.ContainerIdsAsync())["backend"]);
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
            Assert.Equal("", await StandInsAsync());
        }
        finally
        {
            squatter.Kill();
            await squatter.WaitForExitAsync(Ct);
        }

        // With the port free again the same rollback hands over (a new run: the failed one is left as it is).
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "v2", "--services", "backend", "--yes");
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(Staging));
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
    }

    [Fact]
    public async Task A_stand_in_that_never_answers_fails_the_handover_with_its_log_and_leaves_the_running_backend_untouched()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        var before = (await Staging.ContainerIdsAsync())["backend"];
        var services = new TeaFleet.Agent.V1.Services.ServicesClient(fleet.Agent(Staging));
        // The database stopped: a backend that starts now waits for it and never answers. (Straight to the
        // agent: the controller's plan would stop at the database host's migration status first.)
        await Processes.CheckedAsync("docker", "-H", Staging.DockerHost, "stop", "tea_db");
        try
        {
            using var call = services.Recreate(new TeaFleet.Agent.V1.RecreateServicesRequest
            {
                Header = new TeaFleet.Agent.V1.OperationHeader { OperationId = $"fleet-test.standin.{Guid.NewGuid():N}", RequestedBy = "fleet tests" },
                Services = { "backend" },
                Commit = "v2",
                Kind = "rollback",
                VerifyTimeoutSeconds = 8,
            }, cancellationToken: Ct);
            var events = await OperationEvents.AllAsync(call, Ct);

            var final = events[^1];
            Assert.Equal(TeaFleet.Agent.V1.OperationPhase.Failed, final.Phase);
            Assert.Equal("hand over backend", final.Data["failed_step"]);
            Assert.Contains("the stand-in of backend at", final.Message, StringComparison.Ordinal);
            Assert.Contains("did not answer on port 8001", final.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was changed: backend serves as before", final.Message, StringComparison.Ordinal);
            Assert.Contains("Its last log lines:", final.Message, StringComparison.Ordinal);
            Assert.Equal(before, (await Staging.ContainerIdsAsync())["backend"]);
            Assert.Equal("", await StandInsAsync());
            Assert.Contains("server 127.0.0.1:8000;", await File.ReadAllTextAsync(Path.Combine(Staging.Dir, "upstreams", "backend.conf"), Ct), StringComparison.Ordinal);
        }
        finally
        {
            await Processes.CheckedAsync("docker", "-H", Staging.DockerHost, "start", "tea_db");
        }

        // The checkout moved to v2 with the failed switch; the next deploy brings v3 back everywhere.
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
    }
}
