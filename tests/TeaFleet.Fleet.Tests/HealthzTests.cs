using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

public sealed class HealthzTests(FleetFixture fleet)
{
    [Fact]
    public async Task Every_agent_answers_grpc_health_serving_over_mtls()
    {
        foreach (var host in fleet.Hosts.Values)
        {
            var health = new Grpc.Health.V1.Health.HealthClient(fleet.Agent(host));

            var reply = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        }
    }

    [Fact]
    public async Task Healthz_reports_the_agents_own_resident_memory_for_a_monitor()
    {
        var host = fleet.Staging;
        using var report = JsonDocument.Parse(await fleet.Http.GetStringAsync($"http://{host.Address}:7080/healthz", TestContext.Current.CancellationToken));
        var memory = report.RootElement.GetProperty("memory");
        var pid = File.ReadAllText(host.AgentPidFile).Trim();
        var rss = 1024 * long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

        var resident = memory.GetProperty("resident_bytes").GetInt64();
        Assert.InRange(resident, rss * 3 / 4, rss * 5 / 4);
        Assert.InRange(memory.GetProperty("gc_heap_bytes").GetInt64(), 1, resident);
        Assert.True(memory.GetProperty("threads").GetInt32() > 1);
    }

    [Fact]
    public void No_agent_puts_inotify_watches_on_its_hosts_files()
    {
        foreach (var host in fleet.Hosts.Values)
        {
            var pid = File.ReadAllText(host.AgentPidFile).Trim();
            var watches = Directory.GetFiles($"/proc/{pid}/fdinfo")
                .Sum(f => File.ReadLines(f).Count(l => l.StartsWith("inotify ", StringComparison.Ordinal)));
            Assert.True(watches == 0, $"{host.Name}'s agent (pid {pid}) holds {watches} inotify watches");
        }
    }

    [Fact]
    public async Task Healthz_answers_200_while_docker_is_up_and_503_after_it_stops()
    {
        var host = fleet.Staging;
        var url = $"http://{host.Address}:7080/healthz";
        Assert.Equal(HttpStatusCode.OK, (await fleet.Http.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
        var dockerd = int.Parse(File.ReadAllText(host.DockerdPidFile).Trim());

        try
        {
            // Stop Docker the way an operator's `systemctl stop docker` would: SIGTERM, then wait.
            using (var process = Process.GetProcessById(dockerd))
            {
                await Processes.CheckedAsync("kill", "-TERM", dockerd.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var response = await fleet.Http.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("docker", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            // Leave the fleet as we found it: up.sh restarts the dead dockerd and its containers come back.
            await fleet.UpAsync(host);
        }

        Assert.Equal(HttpStatusCode.OK, (await fleet.Http.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
    }
}
