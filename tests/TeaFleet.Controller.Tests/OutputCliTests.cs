using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Tests;

/// <summary>What the commands that need no agent print (certs, runs, resume of a finished run), text and --json, field by field.</summary>
public sealed class OutputCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var (exit, output, _) = await CliRun.RunAsync(_time, new FakeFleetReader(), args);
        return (exit, output);
    }

    private string Inventory => _dir.File("teafleet.yaml", Samples.Inventory);

    private static List<JsonElement> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static string[] TextLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();

    [Fact]
    public async Task Certs_init_prints_each_file_it_made_and_then_that_it_kept_them()
    {
        var pki = Path.Combine(_dir.Path, "pki");

        var (exit, json) = await RunAsync("certs", "init", "--dir", pki, "--operator", "alice", "--json");
        var (keptExit, kept) = await RunAsync("certs", "init", "--dir", pki, "--operator", "alice");

        Assert.Equal((0, 0), (exit, keptExit));
        var files = JsonLines(json);
        Assert.Equal(["ca", "operator"], files.Select(f => f.GetProperty("name").GetString()));
        Assert.All(files, f => Assert.Equal("certificate", f.GetProperty("type").GetString()));
        Assert.All(files, f => Assert.True(f.GetProperty("created").GetBoolean()));
        Assert.Equal(Path.Combine(pki, "ca.crt"), files[0].GetProperty("certificate").GetString());
        Assert.Equal(Path.Combine(pki, "ca.key"), files[0].GetProperty("key").GetString());
        Assert.Equal(Path.Combine(pki, "operator.crt"), files[1].GetProperty("certificate").GetString());
        Assert.Contains("CN=alice", files[1].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Equal(2035, files[0].GetProperty("not_after").GetDateTimeOffset().Year);

        var ca = files[0].GetProperty("subject").GetString();
        var op = files[1].GetProperty("subject").GetString();
        var caUntil = files[0].GetProperty("not_after").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var opUntil = files[1].GetProperty("not_after").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                $"kept existing {Path.Combine(pki, "ca.crt")} ({ca}, valid until {caUntil}); delete it to make a new one",
                $"kept existing {Path.Combine(pki, "operator.crt")} ({op}, valid until {opUntil}); delete it to make a new one",
            ],
            TextLines(kept));
    }

    [Fact]
    public async Task Certs_agent_prints_the_certificate_and_key_it_made()
    {
        var pki = Path.Combine(_dir.Path, "pki");
        await RunAsync("certs", "init", "--dir", pki);

        var (exit, text) = await RunAsync("certs", "agent", "staging-1", "--dir", pki);
        var (jsonExit, json) = await RunAsync("certs", "agent", "staging-1", "--dir", pki, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        var line = Assert.Single(TextLines(text));
        Assert.StartsWith($"created {Path.Combine(pki, "staging-1.crt")} and {Path.Combine(pki, "staging-1.key")} (CN=staging-1", line, StringComparison.Ordinal);
        Assert.EndsWith(", valid until 2027-11-25)", line, StringComparison.Ordinal);
        var file = Assert.Single(JsonLines(json));
        Assert.Equal("certificate", file.GetProperty("type").GetString());
        Assert.Equal("staging-1", file.GetProperty("name").GetString());
        Assert.False(file.GetProperty("created").GetBoolean());
        Assert.Equal(Path.Combine(pki, "staging-1.key"), file.GetProperty("key").GetString());
        Assert.Equal("2027-11-25", file.GetProperty("not_after").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Runs_without_journals_says_where_it_looked_and_prints_no_json_objects()
    {
        var runsDir = Controller.Inventory.InventoryLoader.Load(Inventory).RunsDir;

        var (exit, text) = await RunAsync("runs", "-i", Inventory);
        var (jsonExit, json) = await RunAsync("runs", "-i", Inventory, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Equal([$"No runs in {runsDir}."], TextLines(text));
        Assert.Empty(JsonLines(json));
    }

    [Fact]
    public async Task Runs_prints_each_run_as_a_row_and_as_a_json_object_field_by_field()
    {
        var inventory = Controller.Inventory.InventoryLoader.Load(Inventory);
        var started = _time.GetUtcNow().AddHours(-1);
        var runId = JournalTestData.WriteRun(inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, ["backend"], "staging-1"), StepResult.Succeeded, started, started.AddMinutes(2));

        var (exit, text) = await RunAsync("runs", "-i", Inventory);
        var (jsonExit, json) = await RunAsync("runs", "-i", Inventory, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        var row = Assert.Single(TextLines(text), l => l.Contains(runId, StringComparison.Ordinal));
        var cells = row.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([runId, "staging", "rollback", TeaFleet.Shared.GitRefs.Short(Samples.C2), "backend", "succeeded", started.ToString("u")], cells);
        Assert.Contains(TextLines(text), l => l.Contains("Run", StringComparison.Ordinal) && l.Contains("Started", StringComparison.Ordinal));
        var run = Assert.Single(JsonLines(json));
        Assert.Equal("run", run.GetProperty("type").GetString());
        Assert.Equal(runId, run.GetProperty("run_id").GetString());
        Assert.Equal("staging", run.GetProperty("environment").GetString());
        Assert.Equal("rollback", run.GetProperty("kind").GetString());
        Assert.Equal(Samples.C2, run.GetProperty("target_commit").GetString());
        Assert.Equal(["backend"], run.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("succeeded", run.GetProperty("result").GetString());
        Assert.Equal(started, run.GetProperty("started").GetDateTimeOffset());
        Assert.Equal(started.AddMinutes(2), run.GetProperty("finished").GetDateTimeOffset());
        Assert.Equal("test", run.GetProperty("who").GetString());
        Assert.Equal(Path.Combine(inventory.RunsDir, runId + ".jsonl"), run.GetProperty("journal").GetString());
    }

    [Fact]
    public async Task Resume_of_a_succeeded_run_says_there_is_nothing_to_resume()
    {
        var inventory = Controller.Inventory.InventoryLoader.Load(Inventory);
        var started = _time.GetUtcNow().AddHours(-1);
        var runId = JournalTestData.WriteRun(inventory.RunsDir, JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"), StepResult.Succeeded, started, started.AddMinutes(1));

        var (exit, text) = await RunAsync("resume", runId, "-i", Inventory);
        var (jsonExit, json) = await RunAsync("resume", runId, "-i", Inventory, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Equal([$"Run {runId} already succeeded; nothing to resume."], TextLines(text));
        var resume = Assert.Single(JsonLines(json));
        Assert.Equal("resume", resume.GetProperty("type").GetString());
        Assert.Equal(runId, resume.GetProperty("run_id").GetString());
        Assert.Equal("succeeded", resume.GetProperty("result").GetString());
        Assert.True(resume.GetProperty("nothing_to_do").GetBoolean());
    }
}
