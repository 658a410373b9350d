using System.Diagnostics;
using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's "ufw deny 80; ufw deny 443" and back, for real: each sandbox host's own ufw in its network
/// namespace (private /etc/ufw, /lib/ufw), probed from outside it, the machine's root namespace, as a user
/// would reach the app. Leaves every host unblocked.
/// </summary>
public sealed class FirewallTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Host(ProcessResult status, string name) =>
        status.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(e => e.GetProperty("type").GetString() == "host" && e.GetProperty("host").GetString() == name);

    /// <summary>The host's rules as its own ufw lists them (run in its namespaces, as the agent runs it).</summary>
    private async Task<IReadOnlyList<string>> RulesAsync(FleetHost host)
    {
        var ufw = Path.Combine(host.Dir, "ufw");
        var output = await Processes.CheckedAsync("nsenter", $"--net=/run/netns/tf-{host.Name}", "--", "unshare", "--mount", "--propagation", "slave", "--",
            "/bin/sh", "-c", "mount --bind \"$1\" /etc/ufw && mount --bind \"$2\" /lib/ufw && mount --bind \"$3\" /etc/default/ufw && exec ufw status",
            "ufw-test", Path.Combine(ufw, "etc"), Path.Combine(ufw, "lib"), Path.Combine(ufw, "default", "ufw"));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains("ALLOW", StringComparison.Ordinal) || l.Contains("DENY", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Whether the app's public port answers from outside the host (the root namespace), within a few seconds.</summary>
    private async Task<bool> AnswersAsync(FleetHost host)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(3) }) { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync($"http://{host.Address}/health", Ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Block_closes_the_public_port_to_the_outside_and_allow_opens_it_again_even_after_an_agent_restart_keeping_every_other_rule()
    {
        var inventory = fleet.NewInventory();
        var host = fleet.Staging;
        var rulesBefore = await RulesAsync(host);
        Assert.Contains(rulesBefore, r => r.StartsWith("80/tcp", StringComparison.Ordinal) && r.Contains("ALLOW", StringComparison.Ordinal));
        Assert.True(await AnswersAsync(host));
        var open = Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), host.Name).GetProperty("firewall");
        Assert.True(open.GetProperty("active").GetBoolean());
        Assert.Empty(open.GetProperty("blocked").EnumerateArray());

        var block = await fleet.TeaFleetOkAsync(inventory, "block", "staging", "--reason", "fleet test");
        try
        {
            Assert.Contains("block", block.Flat, StringComparison.Ordinal);
            Assert.False(await AnswersAsync(host));
            var blocked = Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), host.Name).GetProperty("firewall");
            Assert.Equal([80, 443], blocked.GetProperty("blocked").EnumerateArray().Select(p => p.GetInt32()));
            Assert.Contains("BLOCKED", (await fleet.TeaFleetOkAsync(inventory, "status", "staging")).Flat, StringComparison.Ordinal);
            // Exactly the public ports changed: every other rule is as it was.
            var rulesBlocked = await RulesAsync(host);
            Assert.Equal(rulesBefore.Where(r => !IsPublic(r)), rulesBlocked.Where(r => !IsPublic(r)));
            Assert.Contains(rulesBlocked, r => r.StartsWith("80/tcp", StringComparison.Ordinal) && r.Contains("DENY", StringComparison.Ordinal));

            // The agent restarts; what it blocked is in its state, so allow still undoes exactly that.
            Process.GetProcessById(int.Parse(File.ReadAllText(host.AgentPidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Kill();
            await fleet.UpAsync(host);
            Assert.False(await AnswersAsync(host));
        }
        finally
        {
            await fleet.TeaFleetOkAsync(inventory, "allow", "staging");
        }

        Assert.True(await AnswersAsync(host));
        Assert.Equal(rulesBefore, await RulesAsync(host));
        var reopened = Host(await fleet.TeaFleetOkAsync(inventory, "status", "staging", "--json"), host.Name).GetProperty("firewall");
        Assert.Empty(reopened.GetProperty("blocked").EnumerateArray());
    }

    [Fact]
    public async Task Block_of_a_host_outside_the_environment_is_refused_and_changes_nothing()
    {
        var inventory = fleet.NewInventory();
        var rulesBefore = await RulesAsync(fleet.Staging);

        var result = await fleet.TeaFleetAsync(inventory, "block", "staging", "--hosts", "prod-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'prod-1' is not a host of 'staging'", result.Flat, StringComparison.Ordinal);
        Assert.Equal(rulesBefore, await RulesAsync(fleet.Staging));
        Assert.True(await AnswersAsync(fleet.Staging));
    }

    private static bool IsPublic(string rule) => rule.StartsWith("80/tcp", StringComparison.Ordinal) || rule.StartsWith("443/tcp", StringComparison.Ordinal);
}
