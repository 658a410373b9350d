using System.Text.Json;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>One run per environment (issue 11 item 12), across real agents and two real controller processes.</summary>
public sealed class LeaseTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_controllers_on_one_environment_started_a_host_apart_the_second_is_refused_before_it_touches_any_host()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "production");
        var before = await OperationIdsAsync();

        // The first: a rolling deploy of production, prod-1 then prod-2. The second starts while the first is on prod-1.
        using var first = Processes.Start(fleet.Cli, ["deploy", "production", "v2", "--yes", "--json", "-i", inventory]);
        var firstLines = new List<string>();
        string? firstRunId = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            while (firstRunId is null && await first.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                firstLines.Add(line);
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.GetProperty("type").GetString() == "event" && root.GetProperty("host").GetString() == "prod-1")
                {
                    firstRunId = root.GetProperty("run_id").GetString();
                }
            }
        }

        Assert.True(firstRunId is not null, "the first controller never reached prod-1: " + string.Join('\n', firstLines) + await first.StandardError.ReadToEndAsync(Ct));
        // Hold the first controller where it is (on prod-1, mid-run) while the second starts: a switch takes
        // ~10 s per host, less than a loaded machine may need to start the second, and the test is about the
        // second being refused while the first is mid-run, not about who is faster. Its lease (120 s) holds.
        ProcessResult second;
        await SignalAsync(first.Id, "STOP");
        try
        {
            second = await fleet.TeaFleetAsync(inventory, "rollback", "production", "--to", "v1", "--yes", "--skip-drill", "--reason", "fleet test: a second controller");
        }
        finally
        {
            await SignalAsync(first.Id, "CONT");
        }

        var firstRest = await first.StandardOutput.ReadToEndAsync(Ct);
        await first.WaitForExitAsync(Ct);

        Assert.True(second.ExitCode == 5, second.ToString());
        Assert.Contains($"production is held by {firstRunId} (", second.All, StringComparison.Ordinal);
        Assert.Contains("lease until", second.All, StringComparison.Ordinal);
        Assert.True(first.ExitCode == 0, string.Join('\n', firstLines) + firstRest + await first.StandardError.ReadToEndAsync(Ct));

        // Every operation the hosts gained belongs to the first run: the second touched no host.
        var gained = (await OperationIdsAsync()).Except(before).ToList();
        Assert.NotEmpty(gained);
        Assert.All(gained, id => Assert.StartsWith(firstRunId + ".", id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal));
        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(host));
            var lease = (await new Leases.LeasesClient(fleet.Agent(host)).GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease;
            Assert.False(lease.Held, $"{host.Name} still holds the lease of {lease.RunId}");
            Assert.Equal(firstRunId, lease.RunId);
        }

        // Back to the fixture's baseline (v3) for the tests after this one.
        await fleet.TeaFleetOkAsync(inventory, "deploy", "production", "v3", "--yes");
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        var sent = await Processes.RunAsync("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.True(sent.ExitCode == 0, sent.ToString());
    }

    private async Task<HashSet<string>> OperationIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in fleet.Production)
        {
            var list = await new Operations.OperationsClient(fleet.Agent(host)).ListAsync(new ListOperationsRequest { Limit = 10_000 }, cancellationToken: Ct);
            ids.UnionWith(list.Operations.Select(o => $"{host.Name}:{o.OperationId}"));
        }

        return ids;
    }
}
