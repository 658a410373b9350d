using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>One run per environment (issue 11 item 12), across real agents and two real controller processes.</summary>
public sealed class LeaseTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Both controllers are started by one bash script, as an operator's two terminals would start them:
    // started from this test host with Process.Start, the second controller (or even a `kill -STOP` of the
    // first) ran only after the first had exited (session 6), so the test could not overlap them. The test
    // watches the first's journal and tells the script when to start the second.
    [Fact]
    public async Task Two_controllers_on_one_environment_started_a_host_apart_the_second_is_refused_before_it_touches_any_host()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "production");
        var before = await OperationIdsAsync();

        var runs = Path.Combine(Path.GetDirectoryName(inventory)!, "state", "runs");
        var earlierRuns = Directory.Exists(runs) ? Directory.GetFiles(runs, "*.jsonl").ToHashSet() : [];
        var work = Directory.CreateTempSubdirectory("tf-lease-").FullName;
        var script = Path.Combine(work, "two.sh");
        await File.WriteAllTextAsync(script, TwoControllersScript, Ct);

        // The first: a rolling deploy of production, prod-1 then prod-2. The second starts while the first is
        // on prod-1 and the first is held there (SIGSTOP) until the second has ended: a switch takes ~10 s per
        // host, less than a loaded machine may need to start the second, and the test is about the second
        // being refused while the first is mid-run, not about who is faster. Its lease (120 s) holds.
        var driver = Processes.RunAsync("bash", [script, fleet.Cli, inventory, work], TimeSpan.FromMinutes(10));

        string? firstRunId = null;
        for (var waited = TimeSpan.Zero; firstRunId is null && waited < TimeSpan.FromMinutes(3) && !driver.IsCompleted; waited += TimeSpan.FromMilliseconds(100))
        {
            foreach (var journal in Directory.Exists(runs) ? Directory.GetFiles(runs, "*.jsonl").Where(f => !earlierRuns.Contains(f)) : [])
            {
                using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var text = await new StreamReader(stream).ReadToEndAsync(Ct);
                if (text.Contains("\"step_started\"", StringComparison.Ordinal) && text.Contains("\"host\":\"prod-1\"", StringComparison.Ordinal))
                {
                    firstRunId = Path.GetFileNameWithoutExtension(journal);
                }
            }

            if (firstRunId is null)
            {
                await Task.Delay(100, Ct);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(work, "go"), "", Ct);
        var driven = await driver;
        string Read(string name) => File.Exists(Path.Combine(work, name)) ? File.ReadAllText(Path.Combine(work, name)) : "";
        var evidence = $"driver: {driven}\nfirst:\n{Read("first.out")}{Read("first.err")}\nsecond:\n{Read("second.out")}{Read("second.err")}";
        Assert.True(firstRunId is not null, "the first controller never reached prod-1: " + evidence);
        Assert.True(driven.ExitCode == 0, evidence);
        Assert.Equal("held", Read("first.held").Trim());

        Assert.Equal("5", Read("second.rc").Trim());
        Assert.Contains($"production is held by {firstRunId} (", Read("second.err") + Read("second.out"), StringComparison.Ordinal);
        Assert.Contains("lease until", Read("second.err") + Read("second.out"), StringComparison.Ordinal);
        Assert.True(Read("first.rc").Trim() == "0", evidence);

        // Every operation the hosts gained belongs to the first run: the second touched no host.
        var gained = (await OperationIdsAsync()).Except(before).ToList();
        Assert.NotEmpty(gained);
        Assert.All(gained, id => Assert.StartsWith(firstRunId + ".", id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal));
        foreach (var host in fleet.Production)
        {
            Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(host));
            var lease = (await new Leases.LeasesClient(fleet.Agent(host)).GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease;
            Assert.False(lease.Held, $"{host.Name} still holds the lease of {lease.RunId}");
            Assert.Equal(firstRunId, lease.RunId);
        }

        Directory.Delete(work, recursive: true);
        // Back to the fixture's baseline (v3) for the tests after this one.
        await fleet.TeaFleetOkAsync(inventory, "deploy", "production", "v3", "--yes");
    }

    // $1 the controller, $2 the inventory, $3 a directory for what both print and their exit codes. The
    // first's PID is ours (started here), the only process this script signals.
    private const string TwoControllersScript = """
        set -u
        cli=$1 inventory=$2 work=$3
        "$cli" deploy production v2 --yes --json -i "$inventory" >"$work/first.out" 2>"$work/first.err" &
        first=$!
        for _ in $(seq 1 1800); do [ -e "$work/go" ] && break; sleep 0.1; done
        if kill -STOP "$first" 2>/dev/null; then echo held >"$work/first.held"; else echo ended >"$work/first.held"; fi
        "$cli" rollback production --to v1 --yes --skip-drill --reason "fleet test: a second controller" -i "$inventory" \
          >"$work/second.out" 2>"$work/second.err"
        echo $? >"$work/second.rc"
        kill -CONT "$first" 2>/dev/null
        wait "$first"
        echo $? >"$work/first.rc"
        """;

    private async Task<HashSet<string>> OperationIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in fleet.Production)
        {
            var list = await new Operations.OperationsClient(fleet.Agent(host)).ListAsync(new ListOperationsRequest { Limit = 10_000 }, cancellationToken: Ct);
            ids.UnionWith(list.Operations.Select(o => $"{host.Name}:{o.OperationId}"));
        }

        return ids;
    }
}
