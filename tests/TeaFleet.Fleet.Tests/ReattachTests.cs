using System.Net;
using System.Text.Json;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

public sealed class ReattachTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_progress_stream_cut_mid_rollback_is_re_attached_and_the_rollback_finishes_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");
        await using var proxy = new CuttableProxy(new IPEndPoint(IPAddress.Parse(fleet.Staging.Address), 7443));
        var viaProxy = fleet.NewInventory(text => text.Replace("https://10.77.0.11:7443", $"https://127.0.0.1:{proxy.Port}", StringComparison.Ordinal));
        var releasesBefore = (await new Releases.ReleasesClient(fleet.Agent(fleet.Staging)).ListAsync(new ListReleasesRequest { Limit = 10_000 }, cancellationToken: ct)).Releases.Count;

        using var controller = Processes.Start(fleet.Cli, ["rollback", "staging", "--yes", "--json", "-i", viaProxy]);
        var lines = new List<string>();
        var cut = false;
        while (await controller.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            lines.Add(line);
            if (!cut && line.Contains("\"step_name\":\"checkout\"", StringComparison.Ordinal))
            {
                proxy.CutAll();
                cut = true;
            }
        }

        await controller.WaitForExitAsync(ct);
        var output = string.Join('\n', lines);
        Assert.True(cut, "the rollback never reached its checkout step: " + output);
        Assert.True(controller.ExitCode == 0, output + await controller.StandardError.ReadToEndAsync(ct));
        Assert.Contains("re-attach", output, StringComparison.OrdinalIgnoreCase);
        Assert.True(proxy.Connections >= 2, "the controller did not open a new connection after the cut");
        var sequences = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "event" && e.TryGetProperty("sequence", out var s) && s.ValueKind == JsonValueKind.Number && e.GetProperty("step").GetInt32() == 1)
            .Select(e => e.GetProperty("sequence").GetInt64())
            .ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
        var releasesAfter = (await new Releases.ReleasesClient(fleet.Agent(fleet.Staging)).ListAsync(new ListReleasesRequest { Limit = 10_000 }, cancellationToken: ct)).Releases.Count;
        Assert.Equal(releasesBefore + 1, releasesAfter);
    }
}
