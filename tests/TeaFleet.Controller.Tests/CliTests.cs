using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace TeaFleet.Controller.Tests;

/// <summary>The CLI end to end through Spectre (the equivalent of CommandAppTester, on a TestConsole), agents replaced by a planning fake.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeFleetReader _fleet = new FakeFleetReader()
        .WithHistory(["staging-1", "prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1), (Samples.C3, "deploy", Samples.C2));

    public void Dispose() => _dir.Dispose();

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var (exit, output, _) = await CliRun.RunAsync(_time, _fleet, args);
        return (exit, output);
    }

    private string Inventory => _dir.File("teafleet.yaml", Samples.Inventory);

    private static List<JsonElement> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task Plan_rollback_json_prints_the_steps_per_host_field_by_field()
    {
        var (exit, output) = await RunAsync("plan", "rollback", "production", "-i", Inventory, "--json", "--services", "backend,worker");

        Assert.Equal(0, exit);
        var lines = JsonLines(output);
        var plan = lines[0];
        Assert.Equal("plan", plan.GetProperty("type").GetString());
        Assert.Equal("rollback", plan.GetProperty("kind").GetString());
        Assert.Equal(1, plan.GetProperty("rollback_type").GetInt32());
        Assert.Equal("production", plan.GetProperty("environment").GetString());
        Assert.Equal(Samples.C2, plan.GetProperty("target_commit").GetString());
        Assert.Equal(["backend", "worker"], plan.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(Samples.C3, plan.GetProperty("current_commits").GetProperty("prod-2").GetString());
        var steps = plan.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(
            ["1 prod-1 services.recreate", "2 prod-1 health.check", "3 prod-2 services.recreate", "4 prod-2 health.check", "5 controller health.check", "6 controller monitor"],
            steps.Select(s => $"{s.GetProperty("index").GetInt32()} {s.GetProperty("host").GetString()} {s.GetProperty("operation").GetString()}"));
        var recreate = steps[2].GetProperty("arguments");
        Assert.Equal(Samples.C2, recreate.GetProperty("commit").GetString());
        Assert.Equal("rollback", recreate.GetProperty("kind").GetString());
        Assert.Equal("backend,worker", recreate.GetProperty("services").GetString());
        Assert.Equal("http://10.77.0.22/health", steps[3].GetProperty("arguments").GetProperty("urls").GetString());
        Assert.False(steps[0].GetProperty("destructive").GetBoolean());
        Assert.Contains("teafleet logs production SERVICE --host prod-1", steps[0].GetProperty("on_failure").GetString(), StringComparison.Ordinal);

        var drill = lines[1];
        Assert.Equal("drill", drill.GetProperty("type").GetString());
        Assert.False(drill.GetProperty("allowed").GetBoolean());
        Assert.EndsWith($"rollback staging --to {Samples.C2} --services backend,worker", drill.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state", "runs")));
    }

    [Fact]
    public async Task Rollback_production_without_a_staging_drill_is_refused_and_changes_nothing()
    {
        var (exit, output) = await RunAsync("rollback", "production", "-i", Inventory, "--yes", "--json");

        Assert.Equal(ExitCodes.Refused, exit);
        var error = JsonLines(output).Single(l => l.GetProperty("type").GetString() == "error");
        Assert.Equal(4, error.GetProperty("exit_code").GetInt32());
        Assert.Contains("drill gate is closed", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"rollback staging --to {Samples.C2}", error.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state", "runs")));
    }

    [Fact]
    public async Task Rollback_production_without_yes_and_without_a_terminal_is_refused()
    {
        var (exit, output) = await RunAsync("rollback", "production", "-i", Inventory, "--skip-drill", "--reason", "INC-7");

        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("--yes", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state", "runs")));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_exit_code_2_before_anything_changes()
    {
        Assert.Equal(ExitCodes.BadInput, (await RunAsync("rollback", "qa", "-i", Inventory)).ExitCode);
        var (exit, output) = await RunAsync("plan", "rollback", "staging", "-i", Inventory, "--services", "backend,nginx");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("'nginx'", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, (await RunAsync("plan", "rollback", "staging", "-i", Inventory, "--to", "v9.9")).ExitCode);
        Assert.Equal(ExitCodes.BadInput, (await RunAsync("rollback", "production", "-i", Inventory, "--skip-drill")).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state")));
    }

    [Fact]
    public async Task Rolling_back_to_the_current_commit_is_nothing_to_do()
    {
        _fleet.Refs["v3"] = Samples.C3;
        var (exit, output) = await RunAsync("rollback", "staging", "-i", Inventory, "--to", "v3", "--json");

        Assert.Equal(0, exit);
        Assert.True(JsonLines(output)[0].GetProperty("nothing_to_do").GetBoolean());
    }

    [Fact]
    public async Task A_plan_without_named_services_says_so_in_words_not_with_an_internal_placeholder()
    {
        var (exit, output) = await RunAsync("plan", "rollback", "staging", "-i", Inventory);
        var (jsonExit, json) = await RunAsync("plan", "rollback", "staging", "-i", Inventory, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Contains("services: all release services", output, StringComparison.Ordinal);
        Assert.Contains("services=all release services", output, StringComparison.Ordinal);
        Assert.Equal("all release services", JsonLines(json)[0].GetProperty("steps")[0].GetProperty("arguments").GetProperty("services").GetString());
        Assert.DoesNotContain("release-services", output + json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_lists_journals_of_this_and_the_previous_version_with_the_same_words()
    {
        var inventory = Controller.Inventory.InventoryLoader.Load(Inventory);
        JournalTestData.WriteRun(inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"), Controller.Engine.StepResult.Succeeded,
            _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(-1));
        File.WriteAllText(Path.Combine(inventory.RunsDir, "20261124-100000-staging-ab12.jsonl"), TypedStepsTests.OldJournal);

        var (exit, output) = await RunAsync("runs", "-i", Inventory, "--json");
        var (tableExit, table) = await RunAsync("runs", "-i", Inventory);

        Assert.Equal((0, 0), (exit, tableExit));
        var runs = JsonLines(output);
        Assert.Equal(["failed", "succeeded"], runs.Select(r => r.GetProperty("result").GetString()).Order());
        Assert.All(runs, r => Assert.Equal("rollback", r.GetProperty("kind").GetString()));
        Assert.All(runs, r => Assert.Equal(0, r.GetProperty("services").GetArrayLength()));
        Assert.Contains("all release services", table, StringComparison.Ordinal);
        Assert.DoesNotContain("release-services", output + table, StringComparison.Ordinal);
    }
}
