using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

/// <summary><c>teafleet diagnose ENV</c> end to end through the command line with a fake fleet: --json fields, exit codes, an unreachable host.</summary>
public sealed class DiagnoseCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public DiagnoseCommandTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static ServiceStatus Service(string name, string state = "running", string health = "healthy", long restarts = 0) =>
        new() { Name = name, ContainerId = "c-" + name, State = state, Health = health, RestartCount = restarts, Release = Samples.C2, StartedAt = Timestamp.FromDateTimeOffset(Now.AddHours(-1)) };

    private static FakeFleetReader Fleet()
    {
        var fleet = new FakeFleetReader().WithHistory(["prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.Running["prod-1"] = [Service("backend"), Service("worker"), Service("frontend")];
        fleet.Running["prod-2"] = [Service("backend"), Service("frontend")];
        var status = new MigrationStatus { Host = "prod-1", CodeCommit = Samples.C2, State = MigrationState.UpToDate, Service = "backend" };
        status.DatabaseHeads.Add("0003");
        status.CodeHeads.Add("0003");
        fleet.Migrations["prod-1"] = status;
        fleet.HealthAnswers[new Uri("http://10.77.0.21/health")] = (true, "HTTP 200");
        fleet.HealthAnswers[new Uri("http://10.77.0.22/health")] = (true, "HTTP 200");
        fleet.Queues["prod-1"] = new QueueStatusResponse { Configured = true, Reachable = true, Queues = { new QueueLength { Name = "jobs", Key = "tea:jobs", Length = 4 } } };
        return fleet;
    }

    private async Task<(int Exit, JsonElement Json)> DiagnoseAsync(FakeFleetReader fleet)
    {
        var (exit, output, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), fleet, "diagnose", "production", "--json", "--queue-wait", "0", "-i", _inventory.Path);
        return (exit, JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()).RootElement);
    }

    [Fact]
    public async Task A_crash_looping_backend_answers_a_Type_1_with_its_command_and_exit_1()
    {
        var fleet = Fleet();
        fleet.Running["prod-2"] = [Service("backend", "restarting", "starting", 5), Service("frontend")];
        fleet.HealthAnswers[new Uri("http://10.77.0.22/health")] = (false, "HTTP 502");
        fleet.LogTails["prod-2/backend"] = ["Traceback (most recent call last):", "  File \"app.py\"", "ImportError: cannot import name 'x'", "ERROR boot failed"];

        var (exit, json) = await DiagnoseAsync(fleet);

        Assert.Equal(ExitCodes.OperationFailed, exit);
        Assert.Equal("diagnosis", json.GetProperty("type").GetString());
        Assert.Equal("production", json.GetProperty("environment").GetString());
        Assert.Equal("application-crash", json.GetProperty("issue").GetString());
        Assert.Equal("immediate", json.GetProperty("severity").GetString());
        Assert.Equal("🔴 Immediate", json.GetProperty("priority").GetString());
        Assert.Equal("1", json.GetProperty("rollback_type").GetString());
        Assert.Equal("teafleet rollback production", json.GetProperty("command").GetString());
        Assert.Equal(1, json.GetProperty("exit_code").GetInt32());
        var reasons = json.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("prod-2: backend is down (restarting, restarted 5 time(s))", reasons);
        Assert.Contains("http://10.77.0.22/health -> HTTP 502", reasons);
        var facts = json.GetProperty("facts").EnumerateArray().ToList();
        Assert.Contains(facts, f => f.GetProperty("host").GetString() == "prod-2" && f.GetProperty("kind").GetString() == "service-down" && f.GetProperty("problem").GetBoolean());
        Assert.Contains(facts, f => f.GetProperty("kind").GetString() == "log-errors" && f.GetProperty("evidence").GetString()!.Contains("backend: 3 of 4 lines look like errors", StringComparison.Ordinal));
        Assert.Contains(facts, f => f.GetProperty("kind").GetString() == "queue" && f.GetProperty("evidence").GetString() == "jobs=4");
        Assert.Contains(facts, f => f.GetProperty("kind").GetString() == "migration" && !f.GetProperty("problem").GetBoolean());
        var corruption = Assert.Single(json.GetProperty("operator_calls").EnumerateArray());
        Assert.Equal("data-corruption", corruption.GetProperty("issue").GetString());
        // The ledger here has no start times: without one there is no --before to suggest (DiagnoserTests has it).
        Assert.Equal("teafleet rollback production --type 3", corruption.GetProperty("command").GetString());
    }

    [Fact]
    public async Task A_failed_migration_answers_the_repair_scenario()
    {
        var fleet = Fleet();
        var status = fleet.Migrations["prod-1"];
        status.State = MigrationState.Behind;
        status.DatabaseHeads[0] = "0002";
        status.LastUpgradeFailed = true;
        status.LastUpgradeOperationId = "run.3.prod-1";
        status.LastUpgradeMessage = "alembic upgrade head exited 1";

        var (exit, json) = await DiagnoseAsync(fleet);

        Assert.Equal(ExitCodes.OperationFailed, exit);
        Assert.Equal("migration-failed", json.GetProperty("issue").GetString());
        Assert.Equal("scenario 2", json.GetProperty("rollback_type").GetString());
        Assert.Equal("teafleet repair migration-failed production", json.GetProperty("command").GetString());
    }

    [Fact]
    public async Task A_worker_whose_log_is_full_of_errors_answers_the_worker_scenario()
    {
        var fleet = Fleet();
        fleet.LogTails["prod-1/worker"] = [.. Enumerable.Range(0, 20).Select(i => $"ERROR rq.worker: job {i} raised ValueError: bad row")];
        fleet.Operations["prod-1"] = [new OperationInfo { OperationId = "run.1.prod-1", Kind = "services.recreate", State = OperationState.Failed, EndedAt = Timestamp.FromDateTimeOffset(Now.AddHours(-1)), Message = "health check failed" }];

        var (exit, json) = await DiagnoseAsync(fleet);

        Assert.Equal(ExitCodes.OperationFailed, exit);
        Assert.Equal("worker", json.GetProperty("issue").GetString());
        Assert.Equal("teafleet scenario worker production", json.GetProperty("command").GetString());
        Assert.Contains(json.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "operation-failed" && f.GetProperty("host").GetString() == "prod-1");
    }

    [Fact]
    public async Task Nothing_wrong_exits_0_and_says_so()
    {
        var (exit, output, _) = await CliRun.RunAsync(new FakeTimeProvider(Now), Fleet(), "diagnose", "production", "--queue-wait", "0", "-i", _inventory.Path);

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains("production: nothing wrong found", output, StringComparison.Ordinal);
        Assert.Contains("operator's call: data corruption suspected", output, StringComparison.Ordinal);

        var (jsonExit, json) = await DiagnoseAsync(Fleet());
        Assert.Equal(ExitCodes.Done, jsonExit);
        Assert.Equal("nothing-wrong", json.GetProperty("issue").GetString());
        Assert.Equal("none", json.GetProperty("severity").GetString());
        Assert.False(json.TryGetProperty("command", out _)); // nothing to run: left out, as every null in --json is
    }

    [Fact]
    public async Task An_unreachable_host_still_prints_what_was_read_and_exits_3()
    {
        var fleet = Fleet();
        fleet.UnreachableHosts.Add("prod-2");

        var (exit, json) = await DiagnoseAsync(fleet);

        Assert.Equal(ExitCodes.Unreachable, exit);
        Assert.Equal(["prod-2"], json.GetProperty("unreachable").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains(json.GetProperty("facts").EnumerateArray(), f => f.GetProperty("host").GetString() == "prod-2" && f.GetProperty("kind").GetString() == "unreachable");
        Assert.Contains(json.GetProperty("facts").EnumerateArray(), f => f.GetProperty("host").GetString() == "prod-1" && f.GetProperty("kind").GetString() == "service");
    }

    [Fact]
    public async Task A_healthy_app_whose_users_meet_a_block_or_the_maintenance_page_is_told_with_the_command_that_lets_them_back()
    {
        var fleet = Fleet();
        fleet.Maintenance["prod-1"] = new MaintenanceStatusResponse { Configured = true, On = true, ProxyService = "frontend" };
        // The page answers prod-1's health URL too (the controller not passed through): not the app down.
        fleet.HealthAnswers[new Uri("http://10.77.0.21/health")] = (false, "HTTP 503");
        // The page's own 503s in the proxy's access log are the page doing its job, not "performance".
        fleet.LogTails["prod-1/frontend"] = Enumerable.Range(1, 12).Select(i => $"10.0.0.{i} - - [02/Dec/2026:11:59:{i:00} +0000] \"GET / HTTP/1.1\" 503 412 \"-\" \"curl\"").ToList();
        var firewall = new FirewallStatusResponse { Available = true, Active = true };
        firewall.Ports.Add(new FirewallPort { Port = 80, Protocol = "tcp", Blocked = true });
        firewall.Ports.Add(new FirewallPort { Port = 443, Protocol = "tcp", Blocked = true });
        fleet.Firewalls["prod-2"] = firewall;

        var (exit, json) = await DiagnoseAsync(fleet);

        Assert.Equal(ExitCodes.OperationFailed, exit);
        Assert.Equal("traffic-held", json.GetProperty("issue").GetString());
        Assert.Equal("teafleet allow production", json.GetProperty("command").GetString());
        var reasons = json.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("prod-1: the maintenance page is on: users get 503 and the page", reasons);
        Assert.Contains("prod-2: public port(s) 80, 443 blocked in ufw by TeaFleet", reasons);
        Assert.Contains("the page too: teafleet maintenance production off", reasons);
        Assert.Contains(json.GetProperty("facts").EnumerateArray(), f => f.GetProperty("kind").GetString() == "health-url"
            && f.GetProperty("evidence").GetString() == "http://10.77.0.21/health -> HTTP 503 (the maintenance page)" && !f.GetProperty("problem").GetBoolean());
        Assert.Equal(2, json.GetProperty("facts").EnumerateArray().Count(f => f.GetProperty("kind").GetString() == "traffic" && f.GetProperty("problem").GetBoolean()));

        // The page alone: its own command.
        fleet.Firewalls.Remove("prod-2");
        var (_, page) = await DiagnoseAsync(fleet);
        Assert.Equal("teafleet maintenance production off", page.GetProperty("command").GetString());
    }
}
