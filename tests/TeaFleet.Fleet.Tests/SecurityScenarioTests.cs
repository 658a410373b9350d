using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's scenario 5 on the real sandbox, in staging (production would need a staging drill of the same
/// plan first): the evidence bundle on the host (0700, files 0600, a manifest whose sha256 match, the checkout's
/// .env byte for byte and never in the output), the forensic backup catalogued, the rows written after the
/// pre-incident backup gone, the host on the patched code, the public port answering again, and 'teafleet
/// confirm' closing an item. Staging runs v2 when the backup is taken and v3 is the "patched" code. Leaves
/// staging on v3 (the database at v3's head); the bundle stays in the host's state dir as a real one would.
/// </summary>
public sealed class SecurityScenarioTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FleetHost Staging => fleet.Staging;

    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    private static IEnumerable<JsonElement> Json(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private static JsonElement Last(ProcessResult result, string type) =>
        Json(result).Last(e => e.TryGetProperty("type", out var t) && t.GetString() == type);

    private static JsonElement Step(ProcessResult result, string operation) =>
        Json(result).Single(e => e.GetProperty("type").GetString() == "step_finished" && e.GetProperty("operation").GetString() == operation);

    /// <summary>Whether the app's public port answers from outside the host (the root namespace), as a user reaches it.</summary>
    private static async Task<bool> AnswersAsync(FleetHost host)
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

    private async Task<long> CreateRecordAsync(string title)
    {
        using var response = await fleet.Http.PostAsJsonAsync($"http://{Staging.Address}/api/v1/records", new { title }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Scenario_security_keeps_the_evidence_restores_the_pre_incident_backup_runs_the_patched_code_and_lets_users_back()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "v2", "--yes");
        TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS tf_security; CREATE TABLE tf_security (id int primary key, what text); INSERT INTO tf_security SELECT g, 'before' FROM generate_series(1, 3) g");
        var backup = Last(await fleet.TeaFleetOkAsync(inventory, "backup", "staging", "--full", "--json"), "step_finished").GetProperty("data").GetProperty("backup_id").GetString()!;
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        var incident = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        TeaDatabase.Execute(Staging, "INSERT INTO tf_security VALUES (4, 'after'), (5, 'after')");
        var afterId = await CreateRecordAsync("written by the attacker after the backup");
        var envFile = Path.Combine(Staging.Dir, "app", ".env");

        try
        {
            var run = await fleet.TeaFleetOkAsync(inventory, "scenario", "security", "staging",
                "--before", incident.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture), "--patched", "v3", "--yes", "--json");
            var runId = Last(run, "run_started").GetProperty("run_id").GetString()!;
            Assert.Equal("security", Last(run, "plan").GetProperty("kind").GetString());
            Assert.Contains($"restore {backup}", Last(run, "plan").GetProperty("note").GetString(), StringComparison.Ordinal);

            // The bundle on the host: 0700, every file 0600, the manifest's sha256 those of the files.
            var collect = Step(run, "forensics.collect");
            Assert.Equal("succeeded", collect.GetProperty("result").GetString());
            var bundle = collect.GetProperty("data").GetProperty("bundle_path").GetString()!;
            Assert.StartsWith(Path.Combine(Staging.Dir, "state", "forensics"), bundle, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(bundle));
            var files = Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).ToList();
            Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(f)));
            using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(bundle, "manifest.json"), Ct));
            var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(files.Count - 1, listed.Count);
            foreach (var file in listed)
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(bundle, file.GetProperty("path").GetString()!), Ct);
                Assert.Equal(file.GetProperty("size_bytes").GetInt64(), bytes.Length);
                Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }

            Assert.Contains(listed, f => f.GetProperty("path").GetString() == "containers.json");
            Assert.Contains(listed, f => f.GetProperty("path").GetString()!.StartsWith("logs/", StringComparison.Ordinal));
            Assert.Contains(listed, f => f.GetProperty("path").GetString() == "ledger.jsonl");
            // The .env copied byte for byte, its secrets in no line the controller printed.
            Assert.Equal(await File.ReadAllBytesAsync(envFile, Ct), await File.ReadAllBytesAsync(Path.Combine(bundle, "env", ".env"), Ct));
            foreach (var secret in (await File.ReadAllLinesAsync(envFile, Ct)).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2 && kv[1].Length >= 6
                         && (kv[0].Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || kv[0].Contains("SECRET", StringComparison.OrdinalIgnoreCase) || kv[0].Contains("TOKEN", StringComparison.OrdinalIgnoreCase))))
            {
                Assert.DoesNotContain(secret[1], run.StandardOutput + run.StandardError, StringComparison.Ordinal);
            }

            // The forensic backup is catalogued like any other, and is the one in the bundle's manifest.
            var forensic = collect.GetProperty("data").GetProperty("backup_id").GetString()!;
            Assert.Equal(forensic, manifest.RootElement.GetProperty("database_backup").GetProperty("id").GetString());
            var backups = Json(await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--json")).Where(e => e.GetProperty("type").GetString() == "backup");
            Assert.Equal("forensic", backups.Single(b => b.GetProperty("id").GetString() == forensic).GetProperty("kind").GetString());

            // The database is the pre-incident backup's: what was written after it is gone.
            Assert.Equal(3, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM tf_security WHERE what = 'before'"));
            Assert.Equal(0, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM tf_security WHERE what = 'after'"));
            Assert.Equal(0, TeaDatabase.Scalar(Staging, $"SELECT count(*) FROM records WHERE id = {afterId}"));
            // The patched code runs (not v2, the backup's release), and users get an answer again.
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
            Assert.True(await AnswersAsync(Staging));

            // What only a person does: listed at the end, closed with 'teafleet confirm'.
            Assert.Contains(Last(run, "run_finished").GetProperty("open_confirmations").EnumerateArray(), c => c.GetProperty("item").GetString() == "secrets-rotated");
            await fleet.TeaFleetOkAsync(inventory, "confirm", runId, "secrets-rotated", "--note", "fleet test: rotated");
            var items = Last(await fleet.TeaFleetOkAsync(inventory, "confirm", runId, "--json"), "confirmations").GetProperty("items").EnumerateArray().ToList();
            var secrets = items.Single(i => i.GetProperty("item").GetString() == "secrets-rotated");
            Assert.True(secrets.GetProperty("confirmed").GetBoolean());
            Assert.Equal("fleet test: rotated", secrets.GetProperty("note").GetString());
            Assert.False(items.Single(i => i.GetProperty("item").GetString() == "ssl-certificates").GetProperty("confirmed").GetBoolean());
            var report = Last(await fleet.TeaFleetOkAsync(inventory, "report", runId, "--json"), "report").GetProperty("markdown").GetString()!;
            var reportText = await File.ReadAllTextAsync(report, Ct);
            Assert.Contains("- [x] Rotate all secrets (update the env file) (confirmed: by ", reportText, StringComparison.Ordinal);
            Assert.Contains($"{Staging.Name}: bundle {bundle} ", reportText, StringComparison.Ordinal);
        }
        finally
        {
            TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS tf_security");
            // A failed run leaves the users blocked out and maybe the app stopped: back to v3 and open.
            await fleet.TeaFleetAsync(inventory, "allow", "staging");
            await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "v3", "--yes");
        }
    }
}
