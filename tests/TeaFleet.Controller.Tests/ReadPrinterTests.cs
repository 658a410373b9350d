using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// What the read-only commands that need an agent (status, releases, backups, migrations) print, checked on
/// their printers: text and --json, field by field (the fleet tests and demo.sh read these).
/// </summary>
public sealed class ReadPrinterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HostConfig Prod1 = new("prod-1", new Uri("https://10.77.0.21:7443"), "production");
    private static readonly HostConfig Prod2 = new("prod-2", new Uri("https://10.77.0.22:7443"), "production");

    private static HostStatus[] Hosts()
    {
        var info = new GetHostInfoResponse
        {
            AgentVersion = "1.4.0",
            DockerVersion = "27.3.1",
            Lock = new LockInfo { Held = true, Holder = "ops@laptop", Kind = "rollback", OperationId = "run-1.1.prod-1", Since = Timestamp.FromDateTimeOffset(Noon) },
        };
        var backend = new ServiceStatus { Name = "backend", Release = Samples.C2, State = "running", Health = "healthy", ContainerId = "0123456789abcdef", Image = "app-backend:c2", StartedAt = Timestamp.FromDateTimeOffset(Noon) };
        return [new HostStatus(Prod1, info, [backend], null, 0), new HostStatus(Prod2, null, [], "connection refused", ExitCodes.Unreachable)];
    }

    [Fact]
    public void Status_prints_a_line_and_a_service_table_per_reachable_host_and_why_the_others_are_not()
    {
        var console = new PrinterTestConsole(json: false);

        StatusPrinter.Print(console.Output, Hosts());

        var lines = console.Lines;
        Assert.Equal($"prod-1 (production, https://10.77.0.21:7443/) reachable, agent 1.4.0, docker 27.3.1, locked by ops@laptop (rollback run-1.1.prod-1) since {Noon:u}, runs {GitRefs.Short(Samples.C2)}", lines[0]);
        var row = Assert.Single(lines, l => l.Contains("backend", StringComparison.Ordinal));
        Assert.Equal(["backend", GitRefs.Short(Samples.C2), "running", "healthy", "0123456789ab"], row.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("prod-2 (production, https://10.77.0.22:7443/) unreachable: connection refused", lines[^1]);
    }

    [Fact]
    public void Status_marks_a_container_the_running_release_does_not_define()
    {
        var hosts = Hosts();
        hosts[0] = hosts[0] with
        {
            Services = [.. hosts[0].Services, new ServiceStatus { Name = "worker", State = "running", Health = "healthy", ContainerId = "fedcba9876543210", NotInRelease = true }],
        };
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        StatusPrinter.Print(text.Output, hosts);
        StatusPrinter.Print(json.Output, hosts);

        Assert.Contains("running (not in this release)", Assert.Single(text.Lines, l => l.Contains("worker", StringComparison.Ordinal)), StringComparison.Ordinal);
        var services = json.JsonLines[0].GetProperty("services").EnumerateArray().ToList();
        Assert.Equal([false, true], services.Select(s => s.GetProperty("not_in_release").GetBoolean()));
    }

    [Fact]
    public void Status_json_is_one_host_object_per_host()
    {
        var console = new PrinterTestConsole(json: true);

        StatusPrinter.Print(console.Output, Hosts());

        var hosts = console.JsonLines;
        Assert.Equal(["host", "host"], hosts.Select(h => h.GetProperty("type").GetString()));
        var up = hosts[0];
        Assert.Equal("prod-1", up.GetProperty("host").GetString());
        Assert.Equal("production", up.GetProperty("environment").GetString());
        Assert.Equal("https://10.77.0.21:7443/", up.GetProperty("address").GetString());
        Assert.True(up.GetProperty("reachable").GetBoolean());
        Assert.Equal("1.4.0", up.GetProperty("agent_version").GetString());
        Assert.Equal("27.3.1", up.GetProperty("docker_version").GetString());
        Assert.Equal("ops@laptop", up.GetProperty("lock").GetProperty("holder").GetString());
        Assert.Equal(Noon, up.GetProperty("lock").GetProperty("since").GetDateTimeOffset());
        var service = Assert.Single(up.GetProperty("services").EnumerateArray().ToList());
        Assert.Equal("backend", service.GetProperty("name").GetString());
        Assert.Equal(Samples.C2, service.GetProperty("release").GetString());
        Assert.Equal("running", service.GetProperty("state").GetString());
        Assert.Equal("healthy", service.GetProperty("health").GetString());
        Assert.Equal("0123456789abcdef", service.GetProperty("container_id").GetString());
        Assert.Equal("app-backend:c2", service.GetProperty("image").GetString());
        var down = hosts[1];
        Assert.False(down.GetProperty("reachable").GetBoolean());
        Assert.Equal("connection refused", down.GetProperty("error").GetString());
    }

    private static HostReleases Ledger()
    {
        var response = new ListReleasesResponse { CurrentCommit = Samples.C2 };
        response.Releases.Add(new Release { Id = 2, Commit = Samples.C2, Kind = "rollback", Result = ReleaseResult.Succeeded, RequestedBy = "ops", MigrationHead = "a1b2", StartedAt = Timestamp.FromDateTimeOffset(Noon), EndedAt = Timestamp.FromDateTimeOffset(Noon.AddSeconds(42)) });
        response.Releases.Add(new Release { Id = 1, Commit = Samples.C3, Kind = "deploy", Result = ReleaseResult.Failed, RequestedBy = "ci", Services = { "backend" } });
        return new HostReleases(Prod1, response, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [Samples.C2] = ["v2"] });
    }

    [Fact]
    public void Releases_prints_each_ledger_newest_first_as_a_table_and_as_release_objects()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        ReleasesPrinter.Print(text.Output, [Ledger()]);
        ReleasesPrinter.Print(json.Output, [Ledger()]);

        Assert.Equal($"prod-1 current {GitRefs.Short(Samples.C2)}", text.Lines[0]);
        var rows = text.Lines.Where(l => l.Contains("ops", StringComparison.Ordinal) || l.Contains("ci", StringComparison.Ordinal)).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["2", $"{GitRefs.Short(Samples.C2)} (v2)", "rollback", "all release services", "succeeded", "a1b2", Noon.ToString("u"), $"{42.0:0.0} s", "ops"], rows[0]);
        Assert.Equal(["1", GitRefs.Short(Samples.C3), "deploy", "backend", "failed", "-", "-", "-", "ci"], rows[1]);

        var releases = json.JsonLines;
        Assert.Equal([2L, 1L], releases.Select(r => r.GetProperty("id").GetInt64()));
        var current = releases[0];
        Assert.Equal("release", current.GetProperty("type").GetString());
        Assert.Equal("prod-1", current.GetProperty("host").GetString());
        Assert.Equal(Samples.C2, current.GetProperty("commit").GetString());
        Assert.Equal(["v2"], current.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("rollback", current.GetProperty("kind").GetString());
        Assert.Equal("succeeded", current.GetProperty("result").GetString());
        Assert.True(current.GetProperty("current").GetBoolean());
        Assert.Equal(42000, current.GetProperty("duration_ms").GetDouble());
        Assert.Equal("a1b2", current.GetProperty("migration_head").GetString());
        Assert.False(releases[1].GetProperty("current").GetBoolean());
        Assert.Equal("failed", releases[1].GetProperty("result").GetString());
    }

    private static ListBackupsResponse Backups()
    {
        var response = new ListBackupsResponse { BackupDir = "/var/backups/tea", FreeBytes = 3L << 30 };
        response.Backups.Add(new Backup { Id = "b-2", TakenAt = Timestamp.FromDateTimeOffset(Noon), Kind = BackupKind.Full, SizeBytes = 5L << 20, ReleaseCommit = Samples.C2, MigrationHead = "a1b2", VerifyState = VerifyState.Verified, FileName = "b-2.dump" });
        response.Backups.Add(new Backup { Id = "b-1", TakenAt = Timestamp.FromDateTimeOffset(Noon.AddHours(-1)), Kind = BackupKind.Quick, SizeBytes = 512, VerifyState = VerifyState.Failed, VerifyMessage = "pg_restore --list failed" });
        return response;
    }

    [Fact]
    public void Backups_prints_the_catalogue_as_a_table_and_as_backup_objects_then_the_directory()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);
        var empty = new PrinterTestConsole(json: false);

        BackupsPrinter.Print(text.Output, "prod-1", "production", Backups());
        BackupsPrinter.Print(json.Output, "prod-1", "production", Backups());
        BackupsPrinter.Print(empty.Output, "prod-1", "production", new ListBackupsResponse { BackupDir = "/var/backups/tea", FreeBytes = 100 });

        Assert.Equal("prod-1 /var/backups/tea (3.00 GiB free), newest first", text.Lines[0]);
        var rows = text.Lines.Where(l => l.TrimStart().StartsWith("b-", StringComparison.Ordinal)).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["b-2", "2026-12-01 12:00:00", "full", "5.0 MiB", GitRefs.Short(Samples.C2), "a1b2", "yes"], rows[0]);
        Assert.Equal(["b-1", "2026-12-01 11:00:00", "quick", "512 B", "-", "-", "FAILED pg_restore --list failed"], rows[1]);
        Assert.Equal("No backups yet: take one with 'teafleet backup production'.", empty.Lines[^1]);

        var lines = json.JsonLines;
        Assert.Equal(["backup", "backup", "backup_dir"], lines.Select(l => l.GetProperty("type").GetString()));
        var b = lines[0];
        Assert.Equal("prod-1", b.GetProperty("host").GetString());
        Assert.Equal("b-2", b.GetProperty("id").GetString());
        Assert.Equal(Noon, b.GetProperty("taken_at").GetDateTimeOffset());
        Assert.Equal("full", b.GetProperty("kind").GetString());
        Assert.Equal("custom", b.GetProperty("format").GetString());
        Assert.Equal(5L << 20, b.GetProperty("size_bytes").GetInt64());
        Assert.Equal(Samples.C2, b.GetProperty("release_commit").GetString());
        Assert.Equal("a1b2", b.GetProperty("migration_head").GetString());
        Assert.Equal("verified", b.GetProperty("verify_state").GetString());
        Assert.Equal("b-2.dump", b.GetProperty("file").GetString());
        Assert.Equal("failed", lines[1].GetProperty("verify_state").GetString());
        Assert.Equal("/var/backups/tea", lines[2].GetProperty("dir").GetString());
        Assert.Equal(3L << 30, lines[2].GetProperty("free_bytes").GetInt64());
    }

    [Fact]
    public void Migrations_prints_the_state_in_lines_and_as_one_migrations_object()
    {
        var status = new MigrationStatus
        {
            Host = "prod-1",
            DatabaseHeads = { "a1b2" },
            CodeCommit = Samples.C3,
            CodeHeads = { "c3d4" },
            State = MigrationState.Behind,
            Detail = "the database is 1 revision behind the code",
            Image = "app-backend:c3",
            ImagePresent = false,
            TargetCommit = Samples.C2,
            TargetHeads = { "a1b2" },
            DowngradeSteps = 0,
        };
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        MigrationsPrinter.Print(text.Output, "production", status);
        MigrationsPrinter.Print(json.Output, "production", status);

        Assert.Equal(
            [
                $"prod-1 database at a1b2; live code {GitRefs.Short(Samples.C3)} has head c3d4: behind the code",
                "  the database is 1 revision behind the code",
                "  Alembic runs in app-backend:c3 (not on the host: build it first)",
                "  a half-applied migration looks like this: see 'teafleet repair migration-failed production --plan'",
                $"  target {GitRefs.Short(Samples.C2)} has head a1b2: nothing (same head)",
            ],
            text.Lines);
        var m = Assert.Single(json.JsonLines);
        Assert.Equal("migrations", m.GetProperty("type").GetString());
        Assert.Equal("prod-1", m.GetProperty("host").GetString());
        Assert.Equal(["a1b2"], m.GetProperty("database_heads").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(Samples.C3, m.GetProperty("code_commit").GetString());
        Assert.Equal("behind the code", m.GetProperty("state").GetString());
        Assert.False(m.GetProperty("last_upgrade_failed").GetBoolean());
        Assert.Equal(Samples.C2, m.GetProperty("target_commit").GetString());
        Assert.Equal(0, m.GetProperty("downgrade_steps").GetInt32());
        Assert.False(m.GetProperty("image_present").GetBoolean());
    }
}
