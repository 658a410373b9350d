using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// App B (Kiosk: services called api, admin and worker, no backend) through the same loop an operator
/// follows at night: its api crashes, 'diagnose' names it with the command to run, that command rolls it
/// back, and the watch after the rollback holds on Kiosk's own health URLs.
/// </summary>
public sealed class KioskDiagnoseTests(FleetFixture fleet)
{
    private static IEnumerable<JsonElement> Json(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    [Fact]
    public async Task A_crashed_api_is_diagnosed_by_its_own_name_and_the_command_given_rolls_it_back_and_holds()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.3.0");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "1.4.0", "--yes");
        var api = (await Processes.CheckedAsync("docker", "-H", host.DockerHost, "ps", "-q", "--filter", "label=com.docker.compose.service=api")).Trim();
        await Processes.CheckedAsync("docker", "-H", host.DockerHost, "stop", api);

        var diagnose = await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json", "--queue-wait", "0");

        Assert.True(diagnose.ExitCode == 1, diagnose.ToString());
        var diagnosis = Json(diagnose).Single(e => e.GetProperty("type").GetString() == "diagnosis");
        Assert.Contains(diagnosis.GetProperty("issue").GetString(), new[] { "application-crash", "application-and-migration" });
        Assert.Equal("teafleet rollback staging", diagnosis.GetProperty("command").GetString());
        Assert.Contains(diagnosis.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "service-down"
            && f.GetProperty("evidence").GetString()!.StartsWith("api: exited", StringComparison.Ordinal));
        Assert.Contains(diagnosis.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "health-url"
            && f.GetProperty("evidence").GetString()!.StartsWith("http://10.77.0.31:8081/healthz", StringComparison.Ordinal) && f.GetProperty("problem").GetBoolean());

        // The command it gave, as given: back to the last good release, and the watch holds on Kiosk's URLs.
        var rollback = await fleet.TeaFleetOkAsync(inventory, [.. diagnosis.GetProperty("command").GetString()!.Split(' ')[1..], "--yes", "--json"]);

        Assert.Equal(fleet.KioskCommits["1.3.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        var watch = Json(rollback).Last(e => e.GetProperty("type").GetString() == "step_finished" && e.GetProperty("operation").GetString() == "monitor");
        Assert.Equal("succeeded", watch.GetProperty("result").GetString());
        Assert.Equal("b-staging-1 HTTP 200", watch.GetProperty("data").GetProperty("agent_healthz").GetString());
    }
}
