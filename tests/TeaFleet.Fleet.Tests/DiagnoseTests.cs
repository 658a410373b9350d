using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's decision matrix on the real sandbox: what 'teafleet diagnose' reads from the agents and
/// answers when the backend has crashed and once it runs again. Leaves staging running.
/// </summary>
public sealed class DiagnoseTests(FleetFixture fleet)
{
    private static JsonElement Diagnosis(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(e => e.GetProperty("type").GetString() == "diagnosis");

    [Fact]
    public async Task A_crashed_backend_is_an_application_crash_with_the_rollback_command_and_a_restarted_one_is_not()
    {
        var inventory = fleet.NewInventory();
        // Whatever earlier tests left in the logs or the schema, nothing is down now.
        var before = Diagnosis(await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json"));
        Assert.DoesNotContain(before.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "service-down");

        await Processes.CheckedAsync("docker", "-H", fleet.Staging.DockerHost, "stop", "tea_backend");
        try
        {
            var crashed = await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json");

            Assert.True(crashed.ExitCode == 1, crashed.ToString());
            var diagnosis = Diagnosis(crashed);
            // A crash: Type 1 when the last good release has the database's head, else "application + DB
            // migration issues" (Type 2), whichever release the tests before this one left as the last good.
            Assert.Contains(diagnosis.GetProperty("issue").GetString(), new[] { "application-crash", "application-and-migration" });
            Assert.Equal("immediate", diagnosis.GetProperty("severity").GetString());
            Assert.StartsWith("teafleet rollback staging", diagnosis.GetProperty("command").GetString(), StringComparison.Ordinal);
            // The evidence: the backend's container is not running, and the health URLs behind it fail.
            var facts = diagnosis.GetProperty("facts").EnumerateArray().ToList();
            Assert.Contains(facts, f => f.GetProperty("kind").GetString() == "service-down" && f.GetProperty("evidence").GetString()!.Contains("backend", StringComparison.Ordinal));
            Assert.Contains(facts, f => f.GetProperty("kind").GetString() == "health-url" && f.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.True);
        }
        finally
        {
            await Processes.CheckedAsync("docker", "-H", fleet.Staging.DockerHost, "start", "tea_backend");
        }

        // Back up and healthy: no longer a crash.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement after;
        do
        {
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            after = Diagnosis(await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json"));
        }
        while (after.GetProperty("facts").EnumerateArray().Any(f => f.GetProperty("kind").GetString() == "service-down") && DateTime.UtcNow < deadline);

        Assert.DoesNotContain(after.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "service-down");
    }

    [Fact]
    public async Task Corrupted_rows_are_never_concluded_the_operator_is_offered_a_type_3_to_before_the_current_release()
    {
        var inventory = fleet.NewInventory();
        var staging = fleet.Staging;
        // Data gone wrong that no service notices: titles overwritten (the app runs, the health URLs answer).
        var titles = TeaDatabase.Text(staging, "SELECT coalesce(json_agg(json_build_array(id, title))::text, '[]') FROM records");
        TeaDatabase.Execute(staging, "UPDATE records SET title = '\u00bf\u00bf corrupted \u00bf\u00bf'");
        try
        {
            var diagnosis = Diagnosis(await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json", "--queue-wait", "0"));

            Assert.NotEqual("data-corruption", diagnosis.GetProperty("issue").GetString());
            var call = Assert.Single(diagnosis.GetProperty("operator_calls").EnumerateArray());
            Assert.Equal("data-corruption", call.GetProperty("issue").GetString());
            Assert.Equal("3", call.GetProperty("rollback_type").GetString());
            var command = call.GetProperty("command").GetString()!;
            Assert.StartsWith("teafleet rollback staging --type 3 --before \"", command, StringComparison.Ordinal);
            // --before is the current release's start, as the ledger has it: the newest backup from before it.
            var releases = await new TeaFleet.Agent.V1.Releases.ReleasesClient(fleet.Agent(staging)).ListAsync(new TeaFleet.Agent.V1.ListReleasesRequest(), cancellationToken: TestContext.Current.CancellationToken);
            var started = releases.Releases.OrderByDescending(r => r.StartedAt.ToDateTimeOffset()).ThenByDescending(r => r.Id).First().StartedAt.ToDateTimeOffset();
            Assert.EndsWith($"--before \"{started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z\"", command, StringComparison.Ordinal);
            Assert.Contains(call.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("only if an operator confirms it", StringComparison.Ordinal));
        }
        finally
        {
            TeaDatabase.Execute(staging, $"UPDATE records r SET title = t.title FROM json_to_recordset((SELECT json_agg(json_build_object('id', x->>0, 'title', x->>1)) FROM json_array_elements('{titles.Replace("'", "''", StringComparison.Ordinal)}'::json) x)) AS t(id int, title text) WHERE r.id = t.id");
        }
    }
}
