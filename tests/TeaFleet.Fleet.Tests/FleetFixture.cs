using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Net.Client;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Brings the sandbox fleet up once per test run (deploy/dev/up.sh: real dockerd per host, git,
/// compose, PostgreSQL, Redis, agents over mTLS) and gives tests the controller and the hosts.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    private readonly Dictionary<string, GrpcChannel> _channels = [];
    private readonly Lock _channelsGate = new();

    public FleetFixture()
    {
        RepoRoot = FindRepoRoot();
        SandboxRoot = Environment.GetEnvironmentVariable("TEAFLEET_SANDBOX") ?? "/var/lib/teafleet-sandbox";
        Cli = Environment.GetEnvironmentVariable("TEAFLEET_CLI") ?? Path.Combine(RepoRoot, "out", "teafleet");
        Hosts = new Dictionary<string, FleetHost>
        {
            ["staging-1"] = new("staging-1", "10.77.0.11", SandboxRoot),
            ["prod-1"] = new("prod-1", "10.77.0.21", SandboxRoot),
            ["prod-2"] = new("prod-2", "10.77.0.22", SandboxRoot),
            ["b-staging-1"] = new("b-staging-1", "10.77.0.31", SandboxRoot, "kiosk"),
            ["b-prod-1"] = new("b-prod-1", "10.77.0.41", SandboxRoot, "kiosk"),
        };
    }

    public string RepoRoot { get; }

    public string SandboxRoot { get; }

    public string Cli { get; }

    public IReadOnlyDictionary<string, FleetHost> Hosts { get; }

    public IReadOnlyList<FleetHost> Production => [Hosts["prod-1"], Hosts["prod-2"]];

    public FleetHost Staging => Hosts["staging-1"];

    /// <summary>App B (Kiosk, deploy/sample-app-b): one host per environment, inventory deploy/dev/teafleet-b.yaml.</summary>
    public FleetHost KioskStaging => Hosts["b-staging-1"];

    public FleetHost KioskProduction => Hosts["b-prod-1"];

    /// <summary>Tag → full commit of Kiosk's releases (1.0.0 .. 1.4.0).</summary>
    public Dictionary<string, string> KioskCommits { get; } = [];

    /// <summary>Tag → full commit of the sample app's releases.</summary>
    public Dictionary<string, string> Commits { get; } = [];

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Cli))
        {
            throw new InvalidOperationException($"{Cli} is missing: run deploy/build.sh (deploy/test.sh does) before the fleet tests");
        }

        var up = await Processes.RunAsync("bash", [Path.Combine(RepoRoot, "deploy", "dev", "up.sh")], TimeSpan.FromMinutes(20));
        if (up.ExitCode != 0)
        {
            throw new InvalidOperationException("deploy/dev/up.sh failed: " + up);
        }

        foreach (var tag in new[] { "v1", "v2", "v3", "v4", "v5" })
        {
            Commits[tag] = (await Processes.CheckedAsync("git", "-C", Path.Combine(SandboxRoot, "origin.git"), "rev-parse", tag + "^{commit}")).Trim();
        }

        foreach (var tag in new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0" })
        {
            KioskCommits[tag] = (await Processes.CheckedAsync("git", "-C", Path.Combine(SandboxRoot, "origin-b.git"), "rev-parse", tag + "^{commit}")).Trim();
        }

        // Every test starts from the app running on both environments (a fresh fleet has only its data
        // services): v3, with the database at v3's head. TeaFleet's own rollback gets there from
        // wherever an earlier run left it (a Type 2 when the database is at a newer head).
        var inventory = NewInventory();
        foreach (var env in new[] { "staging", "production" })
        {
            var baseline = await TeaFleetAsync(inventory, "rollback", env, "--to", "v3", "--yes", "--skip-drill", "--reason", "fleet tests: baseline");
            if (baseline.ExitCode != 0)
            {
                throw new InvalidOperationException($"bringing {env} to v3 before the tests failed: {baseline}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values.ToList())
        {
            channel.Dispose();
        }

        Http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A copy of the sandbox inventory with a state dir of its own (its own run journals and drills).</summary>
    public string NewInventory(Func<string, string>? edit = null) => CopyInventory("teafleet.yaml", edit);

    /// <summary>A copy of app B's sandbox inventory (deploy/dev/teafleet-b.yaml) with a state dir of its own.</summary>
    public string NewKioskInventory(Func<string, string>? edit = null) => CopyInventory("teafleet-b.yaml", edit);

    private string CopyInventory(string name, Func<string, string>? edit)
    {
        var dir = Directory.CreateTempSubdirectory("teafleet-fleet-test-").FullName;
        var text = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "dev", name));
        text = System.Text.RegularExpressions.Regex.Replace(text, "(?m)^state_dir:.*$", $"state_dir: {Path.Combine(dir, "state")}");
        text = edit?.Invoke(text) ?? text;
        var path = Path.Combine(dir, "teafleet.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    public Task<ProcessResult> TeaFleetAsync(string inventory, params string[] args) =>
        Processes.RunAsync(Cli, [.. args, "-i", inventory], TimeSpan.FromMinutes(10));

    public async Task<ProcessResult> TeaFleetOkAsync(string inventory, params string[] args)
    {
        var result = await TeaFleetAsync(inventory, args);
        Assert.True(result.ExitCode == 0, $"teafleet {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>Makes the environment's ledger read "v2 then v3" so the previous release is v2.</summary>
    public async Task DeployHistoryAsync(string inventory, params string[] environments)
    {
        foreach (var env in environments)
        {
            await TeaFleetOkAsync(inventory, "deploy", env, "v2", "--yes");
            await TeaFleetOkAsync(inventory, "deploy", env, "v3", "--yes");
        }
    }

    /// <summary>
    /// Clean-up after a test that killed a controller: releases its run's lease on the hosts (a no-op when the
    /// run ended and released it), so that a failing test does not hold the environment for the next ones.
    /// </summary>
    public async Task ReleaseLeaseAsync(string runId, params FleetHost[] hosts)
    {
        foreach (var host in hosts)
        {
            try
            {
                await new TeaFleet.Agent.V1.Leases.LeasesClient(Agent(host)).ReleaseAsync(new TeaFleet.Agent.V1.ReleaseLeaseRequest { RunId = runId });
            }
            catch (Grpc.Core.RpcException)
            {
                // Best effort: the lease lapses by itself.
            }
        }
    }

    /// <summary>What a user sees: the commit the backend reports through the host's public port.</summary>
    public async Task<string> BackendCommitAsync(FleetHost host)
    {
        using var response = await Http.GetAsync($"http://{host.Address}/api/v1/health", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return json.GetProperty("commit").GetString()!;
    }

    /// <summary>A gRPC channel to a host's agent with the operator certificate, to look at the agent directly.</summary>
    public GrpcChannel Agent(FleetHost host)
    {
        lock (_channelsGate)
        {
            return _channels.TryGetValue(host.Name, out var existing) ? existing : _channels[host.Name] = OpenAgent(host);
        }
    }

    private GrpcChannel OpenAgent(FleetHost host)
    {
        var pki = Path.Combine(SandboxRoot, "pki");
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        var client = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "operator.crt"), Path.Combine(pki, "operator.key"));
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.ClientCertificates = [client];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return cert is X509Certificate2 c && chain.Build(c) && c.GetNameInfo(X509NameType.DnsName, false) == host.Name;
        };
        return GrpcChannel.ForAddress($"https://{host.Address}:7443", new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <summary>
    /// deploy/dev/up.sh for these hosts only: what a test stopped or killed there comes back, and the other
    /// hosts are not touched. It returns once every container there that has a health check passes it again
    /// (up.sh waits only for the agents): the next test finds the app answering, as the test before it found it.
    /// </summary>
    public async Task<string> UpAsync(params FleetHost[] hosts)
    {
        var output = await Processes.CheckedAsync("bash", Path.Combine(RepoRoot, "deploy", "dev", "up.sh"), "--hosts", string.Join(",", hosts.Select(h => h.Name)));
        foreach (var host in hosts)
        {
            var limit = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            string states;
            while ((states = await Processes.CheckedAsync("docker", "-H", host.DockerHost, "ps", "--format", "{{.Names}}: {{.Status}}"))
                   .Split('\n').Any(l => l.Contains("health: starting", StringComparison.Ordinal) || l.Contains("unhealthy", StringComparison.Ordinal) || l.Contains("Restarting", StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > limit)
                {
                    throw new InvalidOperationException($"{host.Name}'s containers are not healthy 2 min after up.sh: {states}");
                }

                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }

        return output;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TeaFleet.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (TeaFleet.sln) above " + AppContext.BaseDirectory);
    }
}
