using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Grpc.Core;
using Npgsql;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Backups and restores of staging's real PostgreSQL through the real agent (pg_dump, pg_restore,
/// psql): what an operator checks afterwards is what these assert: the rows, the catalogue, the files.
/// Every test leaves the app's tables as they were.
/// </summary>
public sealed class DatabaseTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FleetHost Host => fleet.Staging;

    private Database.DatabaseClient Agent => new(fleet.Agent(Host));

    private long Scalar(string sql) => TeaDatabase.Scalar(Host, sql);

    private void Execute(string sql) => TeaDatabase.Execute(Host, sql);

    private bool TableExists(string table) => TeaDatabase.TableExists(Host, table);

    private async Task<IReadOnlyList<Backup>> BackupsAsync() =>
        (await Agent.ListBackupsAsync(new ListBackupsRequest(), cancellationToken: Ct)).Backups;

    /// <summary>Takes a backup through the CLI and returns the new catalogue entry.</summary>
    private async Task<Backup> BackupAsync(string inventory, params string[] flags)
    {
        var before = (await BackupsAsync()).Select(b => b.Id).ToHashSet();
        await fleet.TeaFleetOkAsync(inventory, ["backup", "staging", .. flags]);
        return Assert.Single(await BackupsAsync(), b => !before.Contains(b.Id));
    }

    private static JsonElement Last(ProcessResult result, string type) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.TryGetProperty("type", out var t) && t.GetString() == type);

    [Fact]
    public async Task A_restore_brings_back_the_rows_of_the_backup_and_took_a_verified_safety_backup_first()
    {
        var inventory = fleet.NewInventory();
        Execute("DROP TABLE IF EXISTS tf_restore_rows; CREATE TABLE tf_restore_rows (id int primary key, what text); INSERT INTO tf_restore_rows SELECT g, 'before' FROM generate_series(1, 3) g");
        var backup = await BackupAsync(inventory, "--quick");
        Execute("INSERT INTO tf_restore_rows VALUES (4, 'after'), (5, 'after'); CREATE TABLE tf_after_backup (id int)");
        var safetyBefore = (await BackupsAsync()).Count(b => b.Kind == BackupKind.Safety);

        var restored = await fleet.TeaFleetOkAsync(inventory, "restore", "staging", backup.Id, "--json");

        Assert.Equal(3, Scalar("SELECT count(*) FROM tf_restore_rows WHERE what = 'before'"));
        Assert.Equal(0, Scalar("SELECT count(*) FROM tf_restore_rows WHERE what = 'after'"));
        Assert.False(TableExists("tf_after_backup"));
        Assert.Equal(1, Scalar("SELECT count(*) FROM users WHERE username = 'admin'"));
        var plan = Last(restored, "plan");
        Assert.Contains($"everything written after {backup.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z", plan.GetProperty("note").GetString(), StringComparison.Ordinal);
        var report = File.ReadAllText(Last(restored, "run_finished").GetProperty("report").GetString()!);
        Assert.Contains("Data loss window", report, StringComparison.Ordinal);

        var safety = (await BackupsAsync()).Where(b => b.Kind == BackupKind.Safety).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).ToList();
        Assert.Equal(safetyBefore + 1, safety.Count);
        Assert.Equal(VerifyState.Verified, safety[0].VerifyState);
        Assert.True(File.Exists(Path.Combine(Host.Dir, "backups", safety[0].FileName)));

        // The safety backup is the database as it was just before: restoring it brings the later rows back.
        await fleet.TeaFleetOkAsync(inventory, "restore", "staging", safety[0].Id);
        Assert.Equal(5, Scalar("SELECT count(*) FROM tf_restore_rows"));
        Assert.True(TableExists("tf_after_backup"));
        Execute("DROP TABLE tf_restore_rows; DROP TABLE tf_after_backup");
        Assert.Contains(await fleet.BackendCommitAsync(Host), fleet.Commits.Values);
    }

    /// <summary>One write of the writer loop: what it sent, what the app answered, and when.</summary>
    private sealed record Write(string Title, int Status, long? Id, DateTimeOffset Answered);

    [Fact]
    public async Task A_restore_under_live_writes_lets_no_write_land_in_a_half_restored_database_and_keeps_every_write_acknowledged_after_it()
    {
        var inventory = fleet.NewInventory();
        var backup = await BackupAsync(inventory, "--quick");
        var records = new Uri($"http://{Host.Address}/api/v1/records");
        var writes = new List<Write>();
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = Task.Run(async () =>
        {
            for (var n = 0; !stopWriting.IsCancellationRequested; n++)
            {
                var title = $"tf-writer-{backup.Id}-{n}";
                try
                {
                    using var response = await fleet.Http.PostAsync(records, new StringContent($"{{\"title\":\"{title}\"}}", System.Text.Encoding.UTF8, "application/json"), stopWriting.Token);
                    long? id = null;
                    if ((int)response.StatusCode == 201)
                    {
                        id = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stopWriting.Token)).RootElement.GetProperty("id").GetInt64();
                    }

                    writes.Add(new Write(title, (int)response.StatusCode, id, DateTimeOffset.UtcNow));
                }
                catch (HttpRequestException)
                {
                    writes.Add(new Write(title, 0, null, DateTimeOffset.UtcNow));
                }
                catch (TaskCanceledException) when (!stopWriting.IsCancellationRequested)
                {
                    writes.Add(new Write(title, 0, null, DateTimeOffset.UtcNow));
                }
                catch (OperationCanceledException) when (stopWriting.IsCancellationRequested)
                {
                    break;
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        await Task.Delay(1000, Ct);
        var restored = await fleet.TeaFleetOkAsync(inventory, "restore", "staging", backup.Id, "--json");
        // The app serves again once the restore ends (its services were started again): keep writing a while.
        await Task.Delay(2000, Ct);
        await stopWriting.CancelAsync();
        await writer;

        // When the agent's restore began (emptied the database) and ended, by the agent's own events.
        var lines = restored.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var restoreStep = lines.First(e => e.GetProperty("type").GetString() == "step_started" && e.GetProperty("operation").GetString() == "database.restore").GetProperty("step").GetInt32();
        var events = lines.Where(e => e.GetProperty("type").GetString() == "event" && e.GetProperty("step").GetInt32() == restoreStep && e.TryGetProperty("time", out _)).ToList();
        var began = events.First(e => e.TryGetProperty("step_name", out var n) && n.GetString() == "empty").GetProperty("time").GetDateTimeOffset();
        var ended = events.Last().GetProperty("time").GetDateTimeOffset();

        var acknowledged = writes.Where(w => w.Status == 201).ToList();
        Assert.Contains(acknowledged, w => w.Answered < began);
        Assert.DoesNotContain(acknowledged, w => w.Answered >= began && w.Answered <= ended);
        var after = acknowledged.Where(w => w.Answered > ended).ToList();
        Assert.NotEmpty(after);
        foreach (var write in after)
        {
            // There, and under the id the app handed out.
            Assert.Equal(1, Scalar($"SELECT count(*) FROM records WHERE id = {write.Id} AND title = '{write.Title}'"));
        }

        // The services are running again: the app answers through its public address.
        using var health = await fleet.Http.GetAsync(new Uri($"http://{Host.Address}/api/v1/health"), Ct);
        Assert.True(health.IsSuccessStatusCode);
        Execute($"DELETE FROM records WHERE title LIKE 'tf-writer-{backup.Id}-%'");
    }

    /// <summary>The ids a run's database.verify or database.prune step reported deleting.</summary>
    private static List<string> Deleted(ProcessResult run) =>
        Last(run, "step_finished").GetProperty("data").GetProperty("deleted").GetString()!
            .Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    [Fact]
    public async Task Verify_records_its_verdict_and_prune_deletes_exactly_what_its_dry_run_listed_as_journaled_runs()
    {
        var inventory = fleet.NewInventory();
        var quick = await BackupAsync(inventory, "--quick");
        Assert.Equal(VerifyState.Unverified, quick.VerifyState);

        var verify = await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--verify", quick.Id, "--reason", "checked before the drill", "--json");
        Assert.Equal(VerifyState.Verified, (await BackupsAsync()).Single(b => b.Id == quick.Id).VerifyState);
        Assert.Contains("checked before the drill", File.ReadAllText(Last(verify, "run_started").GetProperty("journal").GetString()!), StringComparison.Ordinal);

        // More backups today than the retention keeps (the last 10, the newest of each day, the newest verified).
        while ((await BackupsAsync()).Count(b => b.Kind != BackupKind.Legacy) < 13)
        {
            await BackupAsync(inventory, "--quick");
        }

        var before = (await BackupsAsync()).Select(b => b.Id).ToList();
        var dryRun = await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--prune", "--dry-run", "--json");
        var listed = Deleted(dryRun);
        Assert.NotEmpty(listed);
        Assert.Equal(before, (await BackupsAsync()).Select(b => b.Id).ToList());

        var prune = await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--prune", "--json");
        Assert.Equal(listed, Deleted(prune));
        var after = await BackupsAsync();
        Assert.Equal(before.Except(listed), after.Select(b => b.Id));
        Assert.All(listed, id => Assert.Empty(Directory.GetFiles(Path.Combine(Host.Dir, "backups"), id + ".*")));
        Assert.Equal(before.Take(10), after.Select(b => b.Id).Take(10));
        Assert.Contains(after, b => b.Id == quick.Id || b.VerifyState == VerifyState.Verified);
        // What was deleted, and by whom, stays in the run's journal.
        var journal = File.ReadAllText(Last(prune, "run_started").GetProperty("journal").GetString()!);
        Assert.All(listed, id => Assert.Contains(id, journal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupted_backup_fails_verification_and_is_never_restored()
    {
        var inventory = fleet.NewInventory();
        var backup = await BackupAsync(inventory, "--quick");
        var path = Path.Combine(Host.Dir, "backups", backup.FileName);
        var bytes = File.ReadAllBytes(path);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 16; i++)
        {
            bytes[i] ^= 0xFF;
        }

        File.WriteAllBytes(path, bytes);
        Execute("DROP TABLE IF EXISTS tf_marker; CREATE TABLE tf_marker (id int); INSERT INTO tf_marker VALUES (1)");
        var countBefore = (await BackupsAsync()).Count;

        var refused = await fleet.TeaFleetAsync(inventory, "restore", "staging", backup.Id);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("failed verification", refused.All, StringComparison.Ordinal);
        Assert.True(TableExists("tf_marker"));
        var after = await BackupsAsync();
        Assert.Equal(countBefore, after.Count); // no safety backup: nothing was about to be touched
        Assert.Equal(VerifyState.Failed, after.Single(b => b.Id == backup.Id).VerifyState);

        var again = await fleet.TeaFleetAsync(inventory, "restore", "staging", backup.Id);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("never restored", again.All, StringComparison.Ordinal);
        Assert.True(TableExists("tf_marker"));
        Execute("DROP TABLE tf_marker");
    }

    [Fact]
    public async Task A_backup_that_would_not_fit_fails_before_writing_with_the_numbers()
    {
        var inventory = fleet.NewInventory();
        var pid = File.ReadAllText(Host.AgentPidFile).Trim();
        var dir = Path.Combine(Host.Dir, "backups");
        var before = (await BackupsAsync()).Select(b => b.Id).ToList();
        // A small disk for the backup directory, in the agent's own mount namespace only.
        await Processes.CheckedAsync("nsenter", "--target", pid, "--mount", "--", "mount", "-t", "tmpfs", "-o", "size=1m", "tf-small-disk", dir);
        try
        {
            var result = await fleet.TeaFleetAsync(inventory, "backup", "staging");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("not enough space", result.All, StringComparison.Ordinal);
            Assert.Matches(@"needs about [\d.]+ [KMG]?i?B .* [\d.]+ [KMG]?i?B is free", result.All);
            var left = await Processes.CheckedAsync("nsenter", "--target", pid, "--mount", "--", "ls", "-A", dir);
            Assert.Equal("", left.Trim());
        }
        finally
        {
            await Processes.CheckedAsync("nsenter", "--target", pid, "--mount", "--", "umount", dir);
        }

        Assert.Equal(before, (await BackupsAsync()).Select(b => b.Id).ToList());
    }

    [Fact]
    public async Task The_agent_killed_during_a_backup_leaves_no_entry_and_during_a_restore_leaves_the_safety_backup()
    {
        var inventory = fleet.NewInventory();
        // Enough data for pg_dump and pg_restore to take a few seconds.
        Execute("DROP TABLE IF EXISTS tf_bulk; CREATE TABLE tf_bulk AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) AS a FROM generate_series(1, 1500000) g");
        var before = (await BackupsAsync()).Select(b => b.Id).ToHashSet();

        await KillAgentAtAsync(
            options => Agent.CreateBackup(new CreateBackupRequest { Header = Header("kill-backup"), Kind = BackupKind.Full }, options),
            e => e.Step == "dump" && e.Phase == OperationPhase.Progress);

        Assert.Equal(before, (await BackupsAsync()).Select(b => b.Id).ToHashSet());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Host.Dir, "backups"), ".partial-*"));
        await AssertInterruptedAsync("kill-backup");

        var good = await BackupAsync(inventory, "--quick");
        Execute("DROP TABLE tf_bulk; CREATE TABLE tf_after (id int)");
        var restoreId = await KillAgentAtAsync(
            options => Agent.Restore(new RestoreRequest { Header = Header("kill-restore"), BackupId = good.Id }, options),
            e => e.Step == "restore" && e.Phase == OperationPhase.Started);

        await AssertInterruptedAsync(restoreId);
        var safety = (await BackupsAsync()).Where(b => b.Kind == BackupKind.Safety).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).First();
        Assert.Equal(VerifyState.Verified, safety.VerifyState);
        Assert.Contains(good.Id, safety.Reason, StringComparison.Ordinal);

        // What the operator does next: put back what was there before the cut restore.
        await fleet.TeaFleetOkAsync(inventory, "restore", "staging", safety.Id);
        Assert.True(TableExists("tf_after"));
        Assert.False(TableExists("tf_bulk"));
        Execute("DROP TABLE tf_after");
    }

    [Fact]
    public async Task A_restore_cancelled_after_the_database_was_emptied_puts_the_safety_backup_back()
    {
        var inventory = fleet.NewInventory();
        Execute("DROP TABLE IF EXISTS tf_bulk; CREATE TABLE tf_bulk AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS a FROM generate_series(1, 1000000) g");
        var backup = await BackupAsync(inventory, "--quick");
        Execute("CREATE TABLE tf_after_cancel (id int); INSERT INTO tf_after_cancel VALUES (1)");
        var header = Header("cancel-restore");
        var operations = new Operations.OperationsClient(fleet.Agent(Host));

        var phases = new List<(string Step, OperationPhase Phase)>();
        using (var call = Agent.Restore(new RestoreRequest { Header = header, BackupId = backup.Id }, cancellationToken: Ct))
        {
            await foreach (var e in call.ResponseStream.ReadAllAsync(Ct))
            {
                phases.Add((e.Step, e.Phase));
                if (e.Step == "restore" && e.Phase == OperationPhase.Started)
                {
                    await operations.CancelAsync(new CancelOperationRequest { OperationId = header.OperationId }, cancellationToken: Ct);
                }

                if (e.Final)
                {
                    Assert.Equal(OperationPhase.Cancelled, e.Phase);
                    break;
                }
            }
        }

        // Not empty, not half restored: what was there before the restore began.
        Assert.Contains(("put-back", OperationPhase.Succeeded), phases);
        Assert.True(TableExists("tf_after_cancel"));
        Assert.Equal(1_000_000, Scalar("SELECT count(*) FROM tf_bulk"));
        Execute("DROP TABLE tf_after_cancel; DROP TABLE tf_bulk");
    }

    [Fact]
    public async Task The_runbooks_old_plain_dumps_are_listed_and_restorable()
    {
        var inventory = fleet.NewInventory();
        Execute("DROP TABLE IF EXISTS tf_legacy; CREATE TABLE tf_legacy (id int); INSERT INTO tf_legacy VALUES (1), (2)");
        var stamp = DateTime.Now.AddMinutes(-5);
        var dump = await Processes.RunAsync("pg_dump", ["-h", Host.Address, "-U", "tea", "-d", "tea", "--no-owner"], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["PGPASSWORD"] = "tea-sandbox" });
        Assert.True(dump.ExitCode == 0, dump.ToString());
        var file = await WriteLegacyDumpAsync(stamp, dump.StandardOutput);

        try
        {
            Execute("INSERT INTO tf_legacy VALUES (3)");
            var listed = await fleet.TeaFleetOkAsync(inventory, "backups", "staging", "--json");
            var id = $"legacy-{stamp:yyyyMMdd-HHmmss}";
            Assert.Contains($"\"id\":\"{id}\"", listed.StandardOutput, StringComparison.Ordinal);

            await fleet.TeaFleetOkAsync(inventory, "restore", "staging", id);

            Assert.Equal(2, Scalar("SELECT count(*) FROM tf_legacy"));
            Assert.Equal(1, Scalar("SELECT count(*) FROM users WHERE username = 'admin'"));
        }
        finally
        {
            File.Delete(file);
            Execute("DROP TABLE IF EXISTS tf_legacy");
        }
    }

    [Fact]
    public async Task A_restore_that_fails_half_way_puts_the_database_back_from_the_safety_backup()
    {
        var inventory = fleet.NewInventory();
        Execute("DROP TABLE IF EXISTS tf_kept; CREATE TABLE tf_kept (id int); INSERT INTO tf_kept VALUES (1), (2), (3)");
        // An old runbook dump that is intact as a file but breaks half-way through (its last statement fails).
        var stamp = DateTime.Now.AddMinutes(-7);
        var file = await WriteLegacyDumpAsync(stamp, "--\n-- PostgreSQL database dump\n--\nCREATE TABLE tf_from_dump (id int);\nINSERT INTO tf_from_dump VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n");

        try
        {
            var result = await fleet.TeaFleetAsync(inventory, "restore", "staging", $"legacy-{stamp:yyyyMMdd-HHmmss}");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no_such_table", result.All, StringComparison.Ordinal);
            Assert.Contains("put back from the safety backup", result.All, StringComparison.Ordinal);
            Assert.Equal(3, Scalar("SELECT count(*) FROM tf_kept"));
            Assert.False(TableExists("tf_from_dump"));
            Assert.Equal(1, Scalar("SELECT count(*) FROM users WHERE username = 'admin'"));
        }
        finally
        {
            File.Delete(file);
            Execute("DROP TABLE IF EXISTS tf_kept");
        }
    }

    [Fact]
    public async Task Bad_restore_input_is_refused_and_changes_nothing()
    {
        var inventory = fleet.NewInventory();
        Execute("DROP TABLE IF EXISTS tf_untouched; CREATE TABLE tf_untouched (id int)");
        var count = (await BackupsAsync()).Count;

        var unknown = await fleet.TeaFleetAsync(inventory, "restore", "staging", "20991231-000000-quick");
        var path = await fleet.TeaFleetAsync(inventory, "restore", "staging", Path.Combine(Host.Dir, "backups", "x.dump"));
        var noDrill = await fleet.TeaFleetAsync(inventory, "restore", "production", "20991231-000000-quick", "--yes");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no backup '20991231-000000-quick'", unknown.All, StringComparison.Ordinal);
        Assert.Equal(2, path.ExitCode);
        Assert.Contains("looks like a path", path.All, StringComparison.Ordinal);
        Assert.Equal(2, noDrill.ExitCode);
        Assert.True(TableExists("tf_untouched"));
        Assert.Equal(count, (await BackupsAsync()).Count);
        Execute("DROP TABLE tf_untouched");
    }

    /// <summary>Writes SQL where the runbook's backup_db.sh puts its dumps: BackupDir/YYYY-MM/tea_backup_YYYYMMDD_HHMMSS.sql.gz.</summary>
    private async Task<string> WriteLegacyDumpAsync(DateTime stamp, string sql)
    {
        var month = Directory.CreateDirectory(Path.Combine(Host.Dir, "backups", stamp.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))).FullName;
        var file = Path.Combine(month, $"tea_backup_{stamp:yyyyMMdd_HHmmss}.sql.gz");
        await using var gz = new GZipStream(File.Create(file), CompressionLevel.Fastest);
        await gz.WriteAsync(System.Text.Encoding.UTF8.GetBytes(sql), Ct);
        return file;
    }

    private static OperationHeader Header(string name) => new() { OperationId = $"{name}-{Guid.NewGuid():N}"[..40], RequestedBy = "fleet-test" };

    /// <summary>Starts an operation on the agent, kills the agent (SIGKILL) at the first matching event, and starts it again.</summary>
    private async Task<string> KillAgentAtAsync(Func<CallOptions, AsyncServerStreamingCall<OperationEvent>> start, Func<OperationEvent, bool> at)
    {
        var pid = int.Parse(File.ReadAllText(Host.AgentPidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string? operationId = null;
        using (var call = start(new CallOptions(cancellationToken: Ct)))
        {
            try
            {
                await foreach (var e in call.ResponseStream.ReadAllAsync(Ct))
                {
                    operationId = e.OperationId;
                    Assert.False(e.Final, $"the operation ended before the kill point: {e.Message}");
                    if (at(e))
                    {
                        Process.GetProcessById(pid).Kill();
                        break;
                    }
                }
            }
            catch (RpcException)
            {
                // The agent died under the stream.
            }
        }

        await fleet.UpAsync(Host);
        Assert.NotEqual(pid, int.Parse(File.ReadAllText(Host.AgentPidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        return operationId ?? throw new InvalidOperationException("no event came before the kill point");
    }

    private async Task AssertInterruptedAsync(string operationIdOrPrefix)
    {
        var operations = new Operations.OperationsClient(fleet.Agent(Host));
        var list = await operations.ListAsync(new ListOperationsRequest { Limit = 50 }, cancellationToken: Ct);
        var op = list.Operations.First(o => o.OperationId.StartsWith(operationIdOrPrefix, StringComparison.Ordinal));
        Assert.Equal(OperationState.Interrupted, op.State);
    }
}
