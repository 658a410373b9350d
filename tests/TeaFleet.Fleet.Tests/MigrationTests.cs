using System.Net.Http.Json;
using System.Text.Json;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// The runbook's Type 2 and Type 3 rollbacks and its scenario 2 (a migration failed half-way), for
/// real: the sample app's Alembic in its backend image, staging's and production's PostgreSQL,
/// pg_dump/pg_restore. Each test leaves both environments on v3 with the database at 0001_initial,
/// the state the other fleet tests expect.
/// </summary>
public sealed class MigrationTests(FleetFixture fleet)
{
    private FleetHost Staging => fleet.Staging;

    private FleetHost Prod1 => fleet.Hosts["prod-1"];

    private static IEnumerable<JsonElement> Json(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private static JsonElement Last(ProcessResult result, string type) =>
        Json(result).Last(e => e.TryGetProperty("type", out var t) && t.GetString() == type);

    private static IEnumerable<JsonElement> Steps(ProcessResult result) =>
        Json(result).Where(e => e.GetProperty("type").GetString() == "step_finished");

    /// <summary>A record written through the app's own API, as a user would.</summary>
    private async Task<long> CreateRecordAsync(FleetHost host, string title)
    {
        using var response = await fleet.Http.PostAsJsonAsync($"http://{host.Address}/api/v1/records", new { title }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetInt64();
    }

    private async Task BackToV3Async(string inventory, params string[] environments)
    {
        foreach (var env in environments)
        {
            await fleet.TeaFleetOkAsync(inventory, "rollback", env, "--to", "v3", "--yes", "--skip-drill", "--reason", "test clean-up");
        }
    }

    [Fact]
    public async Task Type_2_on_staging_then_production_reverts_the_migration_keeps_the_old_rows_and_runs_the_old_code()
    {
        var inventory = fleet.NewInventory();
        foreach (var env in new[] { "staging", "production" })
        {
            await fleet.TeaFleetOkAsync(inventory, "deploy", env, "v3", "--yes");
            await fleet.TeaFleetOkAsync(inventory, "deploy", env, "v4", "--yes");
        }

        Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Staging));
        Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Prod1));
        var written = $"written on v4 {Guid.NewGuid():N}";
        await CreateRecordAsync(Staging, written);
        await CreateRecordAsync(fleet.Hosts["prod-2"], written);
        var stagingRecords = TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records");
        var productionRecords = TeaDatabase.Scalar(Prod1, "SELECT count(*) FROM records");

        var plan = Last(await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--json"), "plan");
        Assert.Equal(2, plan.GetProperty("rollback_type").GetInt32());
        Assert.Contains("1 migration(s) to revert first (0002_teams)", plan.GetProperty("type_reason").GetString(), StringComparison.Ordinal);
        var downgrade = plan.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("operation").GetString() == "migrations.downgrade");
        Assert.Equal("1", downgrade.GetProperty("arguments").GetProperty("steps").GetString());
        Assert.Equal("0001_initial", downgrade.GetProperty("arguments").GetProperty("revision").GetString());

        var staging = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--json");
        Assert.Equal("0001_initial", TeaDatabase.AlembicHead(Staging));
        Assert.False(TeaDatabase.TableExists(Staging, "teams"));
        Assert.Equal(0, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'records' AND column_name = 'team_id'"));
        Assert.Equal(stagingRecords, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records"));
        Assert.Equal(1, TeaDatabase.Scalar(Staging, $"SELECT count(*) FROM records WHERE title = '{written}'"));
        Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
        // The downgrade started from the plan's own quick backup, taken after the services stopped.
        var backups = Steps(staging).Where(s => s.GetProperty("operation").GetString() == "database.backup").ToList();
        Assert.Equal(2, backups.Count);
        var backupId = backups[0].GetProperty("data").GetProperty("backup_id").GetString();
        Assert.Equal(backupId, Steps(staging).Single(s => s.GetProperty("operation").GetString() == "migrations.downgrade").GetProperty("data").GetProperty("backup_id").GetString());

        // Production passes the drill gate with that staging run, and ends the same way on both hosts.
        var production = await fleet.TeaFleetOkAsync(inventory, "rollback", "production", "--yes", "--json");
        Assert.Equal(Last(staging, "run_started").GetProperty("run_id").GetString(), Last(production, "drill").GetProperty("drill_run_id").GetString());
        Assert.Equal("0001_initial", TeaDatabase.AlembicHead(Prod1));
        Assert.False(TeaDatabase.TableExists(Prod1, "teams"));
        Assert.Equal(productionRecords, TeaDatabase.Scalar(Prod1, "SELECT count(*) FROM records"));
        Assert.Equal(1, TeaDatabase.Scalar(Prod1, $"SELECT count(*) FROM records WHERE title = '{written}'"));
        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(host));
        }

        var report = File.ReadAllText(Last(production, "run_finished").GetProperty("report").GetString()!);
        Assert.Contains("Type 2 (code + database)", report, StringComparison.Ordinal);
        // The checklist's post-rollback backup: the last step, of the database at the old head.
        var post = Steps(production).Last(s => s.GetProperty("operation").GetString() == "database.backup").GetProperty("data").GetProperty("backup_id").GetString();
        Assert.Contains($"- [x] Backup created post-rollback (backup {post}, full and verified)", report, StringComparison.Ordinal);
        var postEntry = Json(await fleet.TeaFleetOkAsync(inventory, "backups", "production", "--json"))
            .Single(e => e.GetProperty("type").GetString() == "backup" && e.GetProperty("id").GetString() == post);
        Assert.Equal("0001_initial", postEntry.GetProperty("migration_head").GetString());
        Assert.Equal("verified", postEntry.GetProperty("verify_state").GetString());
    }

    [Fact]
    public async Task A_deploy_that_migrates_backs_the_database_up_first_and_an_older_release_is_not_deployed_over_it()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        var records = TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records");

        var deploy = await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v4", "--yes", "--json");
        var backupStep = Steps(deploy).Single(s => s.GetProperty("operation").GetString() == "database.backup");
        Assert.Equal("succeeded", backupStep.GetProperty("result").GetString());
        Assert.Equal(1, backupStep.GetProperty("step").GetInt32());
        var id = backupStep.GetProperty("data").GetProperty("backup_id").GetString();
        Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Staging));
        try
        {
            // The backup holds the database as it was before v4's start-up migrated it, and is verified.
            var backup = Json(await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--json"))
                .Single(e => e.GetProperty("type").GetString() == "backup" && e.GetProperty("id").GetString() == id);
            Assert.Equal("full", backup.GetProperty("kind").GetString());
            Assert.Equal("verified", backup.GetProperty("verify_state").GetString());
            Assert.Equal("0001_initial", backup.GetProperty("migration_head").GetString());
            Assert.Equal(fleet.Commits["v3"], backup.GetProperty("release_commit").GetString());

            // v3's code cannot run on v4's schema: deploying it is refused and changes nothing.
            var before = await Staging.ContainerIdsAsync();
            var refused = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "v3", "--yes");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("teafleet rollback staging --to v3", refused.All, StringComparison.Ordinal);
            Assert.Equal(before, await Staging.ContainerIdsAsync());
            Assert.Equal(fleet.Commits["v4"], await fleet.BackendCommitAsync(Staging));
            Assert.Equal(records, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records"));
        }
        finally
        {
            await BackToV3Async(inventory, "staging");
        }
    }

    [Fact]
    public async Task Type_3_before_a_time_restores_the_backup_before_it_and_reports_the_data_loss_window()
    {
        var inventory = fleet.NewInventory();
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS tf_type3; CREATE TABLE tf_type3 (id int primary key, what text); INSERT INTO tf_type3 SELECT g, 'before' FROM generate_series(1, 3) g");
        var backup = Last(await fleet.TeaFleetOkAsync(inventory, "backup", "staging", "--full", "--json"), "step_finished").GetProperty("data").GetProperty("backup_id").GetString()!;
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        var incident = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        TeaDatabase.Execute(Staging, "INSERT INTO tf_type3 VALUES (4, 'after'), (5, 'after')");
        var afterId = await CreateRecordAsync(Staging, "written after the backup");

        try
        {
            var run = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--before", incident.ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), "--json");

            var plan = Last(run, "plan");
            Assert.Equal(3, plan.GetProperty("rollback_type").GetInt32());
            Assert.Contains($"restore {backup}", plan.GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.Equal(3, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM tf_type3 WHERE what = 'before'"));
            Assert.Equal(0, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM tf_type3 WHERE what = 'after'"));
            Assert.Equal(0, TeaDatabase.Scalar(Staging, $"SELECT count(*) FROM records WHERE id = {afterId}"));
            Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
            Assert.Equal("succeeded", Steps(run).Single(s => s.GetProperty("operation").GetString() == "smoke.test").GetProperty("result").GetString());

            var takenAt = Json(await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--json"))
                .Single(e => e.GetProperty("type").GetString() == "backup" && e.GetProperty("id").GetString() == backup).GetProperty("taken_at").GetDateTimeOffset();
            var report = File.ReadAllText(Last(run, "run_finished").GetProperty("report").GetString()!);
            Assert.Contains($"Data loss window: {takenAt:yyyy-MM-dd HH:mm:ss}Z to ", report, StringComparison.Ordinal);
        }
        finally
        {
            TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS tf_type3");
        }
    }

    [Fact]
    public async Task A_migration_that_failed_half_way_is_repaired_by_dropping_what_it_committed_never_by_reverting_the_last_good_head()
    {
        var inventory = fleet.NewInventory();
        // What 0003 commits before it fails must not be there already (a test stopped half-way before): it
        // would be in the deploy's backup, the reference the schema is compared with.
        TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS audit_log");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v4", "--yes");
        // The scenario's last fallback is a verified backup: make sure one exists, whatever ran before.
        await fleet.TeaFleetOkAsync(inventory, "backup", "staging", "--full");
        var records = TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records");
        await SetFailMigrationAsync(true);
        try
        {
            // v5's 0003_audit commits audit_log, then fails: the backend crash-loops, the deploy fails.
            var deploy = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "v5", "--yes");
            Assert.Equal(1, deploy.ExitCode);
            Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Staging));
            Assert.True(TeaDatabase.TableExists(Staging, "audit_log"));
            // The head did not move, the schema did: the deploy's way back does not put v4 onto it.
            Assert.Contains("is still at 0002_teams but its schema changed (extra TABLE public.audit_log", deploy.Flat, StringComparison.Ordinal);
            // The run says what it left down: v5's backend, crash-looping in its migration.
            Assert.Contains("Down after the run: staging-1: backend (", deploy.Flat, StringComparison.Ordinal);
            Assert.Equal(fleet.Commits["v5"], (await Processes.CheckedAsync("git", "-C", Path.Combine(Staging.Dir, "app"), "rev-parse", "HEAD")).Trim());

            var status = Last(await fleet.TeaFleetOkAsync(inventory, "migrations", "staging", "--json"), "migrations");
            Assert.Equal("behind the code", status.GetProperty("state").GetString());

            // Diagnose reads it as the runbook's scenario 2, with the command and the database behind the live code
            // (v5's migration ran in its backend's start-up, not through the agent) as evidence.
            var diagnose = await fleet.TeaFleetAsync(inventory, "diagnose", "staging", "--json", "--queue-wait", "0");
            Assert.Equal(1, diagnose.ExitCode);
            var diagnosis = Last(diagnose, "diagnosis");
            Assert.Equal("migration-failed", diagnosis.GetProperty("issue").GetString());
            Assert.Equal("teafleet repair migration-failed staging", diagnosis.GetProperty("command").GetString());
            Assert.Contains(diagnosis.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "migration"
                && f.GetProperty("evidence").GetString()!.StartsWith("behind: database ", StringComparison.Ordinal) && f.GetProperty("evidence").GetString()!.Contains("0002_teams", StringComparison.Ordinal));

            // The cause is still there: completing fails, so the scenario drops what 0003 committed (audit_log).
            // It never downgrades 0002_teams, which v4 had applied before the failure; the restore is not needed.
            var repair = await fleet.TeaFleetOkAsync(inventory, "repair", "migration-failed", "staging", "--json");
            var results = Steps(repair).GroupBy(s => s.GetProperty("operation").GetString()!).ToDictionary(g => g.Key, g => g.Last().GetProperty("result").GetString());
            Assert.Equal("failed", results["migrations.upgrade"]);
            Assert.Equal("succeeded", results["migrations.repair-leftovers"]);
            Assert.False(results.ContainsKey("migrations.downgrade"));
            Assert.Equal("skipped", results["database.restore"]);
            Assert.Equal("skipped", results["services.start"]);
            Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Staging));
            Assert.False(TeaDatabase.TableExists(Staging, "audit_log"));
            Assert.True(TeaDatabase.TableExists(Staging, "teams"));
            Assert.Equal(records, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM records"));

            // The default rollback target is the last good release, v4, not the one before it: its head is the
            // database's, so a Type 1 that touches no migration applied before the failure.
            var back = Last(await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--json"), "plan");
            Assert.Equal(fleet.Commits["v4"], back.GetProperty("target_commit").GetString());
            Assert.Equal(1, back.GetProperty("rollback_type").GetInt32());
        }
        finally
        {
            await SetFailMigrationAsync(false);
            TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS audit_log");
        }

        // The database is at v4's head, with v4's schema: back to v3 reverts 0002_teams (Type 2).
        var plan = Last(await fleet.TeaFleetOkAsync(inventory, "plan", "rollback", "staging", "--to", "v3", "--json"), "plan");
        Assert.Equal(2, plan.GetProperty("rollback_type").GetInt32());
        await BackToV3Async(inventory, "staging");
        Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
    }

    [Fact]
    public async Task Once_the_cause_is_gone_the_scenario_completes_the_migration_and_starts_the_app_again()
    {
        var inventory = fleet.NewInventory();
        TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS audit_log");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v4", "--yes");
        await SetFailMigrationAsync(true);
        try
        {
            Assert.Equal(1, (await fleet.TeaFleetAsync(inventory, "deploy", "staging", "v5", "--yes")).ExitCode);
            // The operator stops the crash-looping backend and removes the cause.
            await Processes.CheckedAsync("docker", "-H", Staging.DockerHost, "stop", "tea_backend");
        }
        finally
        {
            await SetFailMigrationAsync(false);
        }

        Assert.Equal("0002_teams", TeaDatabase.AlembicHead(Staging));
        var repair = await fleet.TeaFleetOkAsync(inventory, "repair", "migration-failed", "staging", "--json");
        var results = Steps(repair).GroupBy(s => s.GetProperty("operation").GetString()!).ToDictionary(g => g.Key, g => g.Last().GetProperty("result").GetString());
        Assert.Equal("succeeded", results["migrations.upgrade"]);
        Assert.Equal("skipped", results["migrations.repair-leftovers"]);
        Assert.Equal("succeeded", results["services.start"]);
        Assert.Equal("0003_audit", TeaDatabase.AlembicHead(Staging));
        Assert.Equal(1, TeaDatabase.Scalar(Staging, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'records' AND column_name = 'audited'"));
        Assert.Equal(fleet.Commits["v5"], await fleet.BackendCommitAsync(Staging));

        // Two migrations above v3's head now: back to v3 is a Type 2 rollback of two revisions.
        var back = await fleet.TeaFleetOkAsync(inventory, "rollback", "staging", "--to", "v3", "--json");
        Assert.Equal(2, Last(back, "plan").GetProperty("rollback_type").GetInt32());
        Assert.Equal("0001_initial", TeaDatabase.AlembicHead(Staging));
        Assert.False(TeaDatabase.TableExists(Staging, "teams"));
        Assert.Equal(fleet.Commits["v3"], await fleet.BackendCommitAsync(Staging));
        TeaDatabase.Execute(Staging, "DROP TABLE IF EXISTS audit_log");
    }

    [Fact]
    public async Task Bad_type_3_input_gets_a_clear_error_and_changes_nothing()
    {
        var inventory = fleet.NewInventory();
        // The cases below hold for staging on v3 at 0001_initial (--type 2 to v2 does not fit there): make
        // sure of it, whatever an earlier test left ("nothing to do" when it is so already).
        await BackToV3Async(inventory, "staging");
        Assert.Equal("0001_initial", TeaDatabase.AlembicHead(Staging));
        var before = await fleet.TeaFleetOkAsync(inventory, "releases", "staging", "--json");
        var cases = new (string[] Args, string Expected)[]
        {
            (["--before", DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "Z"], "is in the future"),
            (["--before", "2001-01-01 10:00Z"], "no backup on staging-1 is older than 2001-01-01 10:00:00Z"),
            (["--before", "yesterday"], "is not a time"),
            (["--backup", "/var/backups/tea/tea_backup_20240114_020000.sql.gz"], "looks like a path"),
            (["--backup", "no-such-backup"], "no backup 'no-such-backup'"),
            (["--type", "2"], "does not fit this rollback"),
        };
        foreach (var (args, expected) in cases)
        {
            var result = await fleet.TeaFleetAsync(inventory, ["rollback", "staging", "--to", "v2", .. args, "--yes"]);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: {result}");
            Assert.Contains(expected, result.All, StringComparison.Ordinal);
        }

        Assert.Equal(before.StandardOutput, (await fleet.TeaFleetOkAsync(inventory, "releases", "staging", "--json")).StandardOutput);
    }

    private Task SetFailMigrationAsync(bool on) =>
        Processes.CheckedAsync("docker", "-H", Staging.DockerHost, "exec", "tea_db", "psql", "-p", "5432", "-d", "tea", "-c",
            on ? "ALTER DATABASE tea SET tea.fail_migration = 'on'" : "ALTER DATABASE tea RESET tea.fail_migration");
}
