using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's Type 2 step 1 both ways, for real: the maintenance page served by the sample app's own
/// nginx (its frontend container, the snippet and the read-only mount of the host's maintenance
/// directory) and a Type 2 that blocks the public ports in ufw instead of stopping the app (the
/// inventory's 'traffic: block'). Probed as users reach the app: from the machine's root namespace, and
/// for the block from another host's namespace (the root namespace is the controller, which a block keeps
/// open for its checks). Leaves staging on v3 with no page and no block.
/// </summary>
public sealed class MaintenanceTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FleetHost Staging => fleet.Staging;

    private static IEnumerable<JsonElement> Json(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private static JsonElement Host(ProcessResult status, string name) =>
        Json(status).Single(e => e.GetProperty("type").GetString() == "host" && e.GetProperty("host").GetString() == name);

    /// <summary>What the app's public port answers from the root namespace: the status code and the body; 0 when nothing answers.</summary>
    private async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(3) }) { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync($"http://{Staging.Address}{path}", Ct);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, "");
        }
    }

    /// <summary>What staging's public port answers to a user on prod-1 (its network namespace, its own address): the HTTP status, 0 when nothing answers.</summary>
    private async Task<int> UserStatusAsync()
    {
        var result = await Processes.RunAsync("nsenter", ["--net=/run/netns/tf-prod-1", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", $"http://{Staging.Address}/health"], TimeSpan.FromSeconds(10));
        return int.TryParse(result.StandardOutput.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    [Fact]
    public async Task Maintenance_on_makes_the_frontend_answer_503_with_the_page_status_shows_it_and_off_serves_the_app_again()
    {
        var inventory = fleet.NewInventory();
        Assert.Equal(200, (await GetAsync("/api/v1/records")).Status);

        var on = await fleet.TeaFleetOkAsync(inventory, "maintenance", "staging", "on", "-y", "--reason", "fleet test: maintenance page");
        try
        {
            Assert.Contains("maintenance.enable", on.Flat, StringComparison.Ordinal);
            // The flag is the file the frontend's nginx checks through its read-only mount.
            Assert.True(File.Exists(Path.Combine(Staging.Dir, "maintenance", "on")));
            var (status, body) = await GetAsync("/api/v1/records");
            Assert.Equal(503, status);
            Assert.Contains("Down for maintenance", body, StringComparison.Ordinal);
            Assert.Equal(503, (await GetAsync("/")).Status);

            var text = await fleet.TeaFleetOkAsync(inventory, "status", "staging");
            Assert.Contains("MAINTENANCE", text.Flat, StringComparison.Ordinal);
            Assert.Contains("fleet test: maintenance page", text.Flat, StringComparison.Ordinal);
            var json = Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), Staging.Name).GetProperty("maintenance");
            Assert.True(json.GetProperty("on").GetBoolean());
            Assert.Equal("frontend", json.GetProperty("proxy_service").GetString());
            // The page is nginx's: the app's containers kept running behind it.
            var states = await Staging.ContainerStatesAsync();
            Assert.All(new[] { "frontend", "backend" }, s => Assert.Equal("running", states[s]));

            // Everything runs and the controller's health URLs pass the page, yet users meet it: diagnose says so,
            // with the command that lets them back.
            var diagnose = await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json", "--queue-wait", "0");
            var diagnosis = Json(diagnose).Single(e => e.GetProperty("type").GetString() == "diagnosis");
            Assert.True(diagnosis.GetProperty("issue").GetString() == "traffic-held", diagnose.ToString());
            Assert.Equal("teafleet maintenance staging off", diagnosis.GetProperty("command").GetString());
        }
        finally
        {
            await fleet.TeaFleetOkAsync(inventory, "maintenance", "staging", "off", "-y");
        }

        Assert.False(File.Exists(Path.Combine(Staging.Dir, "maintenance", "on")));
        Assert.Equal(200, (await GetAsync("/api/v1/records")).Status);
        Assert.False(Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), Staging.Name).GetProperty("maintenance").GetProperty("on").GetBoolean());
    }

    [Fact]
    public async Task A_type_2_with_traffic_block_refuses_users_while_it_runs_keeps_the_controllers_checks_and_lets_them_back_after()
    {
        var inventory = fleet.NewInventory(text => text.Replace("  staging:\n", "  staging:\n    traffic: block\n", StringComparison.Ordinal));
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v4", "--yes");
        Assert.Equal(200, await UserStatusAsync());

        var plan = await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--to", "v3");
        Assert.Contains("'traffic: block' in the inventory, runbook option B", plan.Flat, StringComparison.Ordinal);

        var run = fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "v3", "--yes", "--json");
        var seen = new List<int>();
        while (!run.IsCompleted)
        {
            seen.Add(await UserStatusAsync());
            await Task.Delay(300, Ct);
        }

        var rollback = await run;
        try
        {
            Assert.True(rollback.ExitCode == 0, "the Type 2 with traffic: block: " + rollback);
            var steps = Json(rollback).Where(e => e.GetProperty("type").GetString() == "step_finished").ToList();
            var block = steps.Single(s => s.GetProperty("operation").GetString() == "firewall.block");
            var allow = steps.Single(s => s.GetProperty("operation").GetString() == "firewall.allow");
            Assert.Equal("succeeded", block.GetProperty("result").GetString());
            Assert.Equal("succeeded", allow.GetProperty("result").GetString());
            Assert.True(block.GetProperty("step").GetInt32() < allow.GetProperty("step").GetInt32());
            // Nothing stopped (the way back's stops are skipped): the block is what kept users out, the
            // controller's own checks got through.
            Assert.DoesNotContain(steps, s => s.GetProperty("operation").GetString() == "services.stop" && s.GetProperty("result").GetString() != "skipped");
            Assert.Contains(steps, s => s.GetProperty("operation").GetString() == "health.check" && s.GetProperty("result").GetString() == "succeeded"
                && s.GetProperty("step").GetInt32() < allow.GetProperty("step").GetInt32());
            // A user was refused during the run (no answer: ufw drops), and is answered after it.
            Assert.Contains(0, seen);
            Assert.Equal(200, await UserStatusAsync());
            Assert.Empty(Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), Staging.Name).GetProperty("firewall").GetProperty("blocked").EnumerateArray());
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
        }
        finally
        {
            if (rollback.ExitCode != 0)
            {
                await fleet.TeaFleetAsync(inventory, "allow", "staging", "--yes");
                await fleet.TeaFleetAsync(fleet.NewInventory(), "rollback", "staging", "--to", "v3", "--yes");
            }
        }
    }
}
