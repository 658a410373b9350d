using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Forensics;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// Forensics.Collect through the agent's own registrations, against real files in a temporary checkout and
/// state dir, checked as an operator would with ls -l and sha256sum. The Docker engine is the one part
/// replaced (these tests have no daemon, see InProcessAgent): a runtime that lists two containers and
/// their log lines; the fleet test (SecurityScenarioTests) collects from a real dockerd.
/// </summary>
public sealed class ForensicsTests : IDisposable
{
    private const string Secret = "SECRET_KEY=s3cr3t-do-not-print\nPOSTGRES_PASSWORD=hunter2\n";
    private const string ProjectSecret = "JWT_SECRET=abc123-project-level\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("teafleet-forensics-").FullName;
    private readonly Containers _containers = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StateDir => Path.Combine(_dir, "state");

    private string Checkout => Path.Combine(_dir, "app");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ServiceProvider Agent()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:HostName"] = "test-1",
            ["Agent:StateDir"] = StateDir,
            ["Agent:BackupDir"] = Path.Combine(_dir, "backups"),
            ["Agent:Listen:Address"] = "127.0.0.1",
            ["Agent:Listen:Insecure"] = "true",
            ["Agent:App:CheckoutDir"] = Checkout,
            ["Agent:App:ProjectName"] = "tea",
            ["Agent:App:Services:0"] = "backend",
            ["Agent:App:ComposeCommand:0"] = "docker-compose",
            ["Agent:App:ComposeFiles:0"] = "ops/docker/compose.yml",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IContainerRuntime>(_containers);
        services.AddAgent();
        return services.BuildServiceProvider();
    }

    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    /// <summary>Collect as the service starts it, its events as the stream carries them (the wire type). The service's own
    /// method needs the caller's certificate from ASP.NET Core's HttpContext, which a test call context has not.</summary>
    private static async Task<List<V1.OperationEvent>> CollectAsync(ServiceProvider agent, string id)
    {
        var record = await agent.GetRequiredService<ForensicsOperations>().CollectAsync(new Model.OperationHeader(id, "alice"), 100, "tester", Ct);
        var events = new List<V1.OperationEvent>();
        await foreach (var e in record.WatchAsync(0, Ct))
        {
            events.Add(OperationWire.ToWire(e));
        }

        return events;
    }

    private void AppWithEvidence()
    {
        Directory.CreateDirectory(Path.Combine(Checkout, "ops", "docker"));
        File.WriteAllText(Path.Combine(Checkout, ".env"), Secret);
        File.WriteAllText(Path.Combine(Checkout, "ops", "docker", ".env"), ProjectSecret);
        _containers.Add("tea-backend-1", "backend", "running", 3, ["GET /api/v1/users 200", "POST /admin/exec 500"]);
        _containers.Add("tea-worker-1", "worker", "exited", 0, ["job 7 done"]);
    }

    [Fact]
    public async Task Collect_writes_a_0700_bundle_of_0600_files_whose_manifest_sha256_match_with_the_env_files_copied_byte_for_byte()
    {
        AppWithEvidence();
        await using var agent = Agent();
        agent.GetRequiredService<ReleaseLedger>().Begin(new Model.Release { Commit = "3f2a1c9e", Kind = "deploy", Services = ["backend"] });

        var events = await CollectAsync(agent, "run-1.3.test-1");

        var last = events[^1];
        Assert.True(last.Final);
        Assert.Equal(V1.OperationPhase.Succeeded, last.Phase);
        var bundle = last.Data[OperationResultKeys.BundlePath];
        Assert.StartsWith(Path.Combine(StateDir, "forensics") + "/", bundle, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(bundle));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(Path.Combine(StateDir, "forensics")));

        // Every file on disk is 0600 and every one but the manifest is in the manifest, with its real size and sha256.
        var onDisk = Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bundle, f)).Order(StringComparer.Ordinal).ToList();
        Assert.All(onDisk, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(Path.Combine(bundle, f))));
        Assert.All(Directory.EnumerateDirectories(bundle, "*", SearchOption.AllDirectories),
            d => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(d)));
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(bundle, "manifest.json"), Ct));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => (Size: f.GetProperty("size_bytes").GetInt64(), Sha: f.GetProperty("sha256").GetString()!));
        Assert.Equal(onDisk.Where(f => f != "manifest.json"), files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, (size, sha)) in files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(bundle, path), Ct);
            Assert.Equal(size, bytes.Length);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        }

        Assert.Equal(files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Data[OperationResultKeys.FileCount]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(bundle, "manifest.json"), Ct))), last.Data[OperationResultKeys.ManifestSha256]);

        // The evidence: env files byte for byte, each container's log, the container list, the ledger.
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Checkout, ".env"), Ct), await File.ReadAllBytesAsync(Path.Combine(bundle, "env", ".env"), Ct));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Checkout, "ops", "docker", ".env"), Ct), await File.ReadAllBytesAsync(Path.Combine(bundle, "env", "ops", "docker", ".env"), Ct));
        Assert.Contains("POST /admin/exec 500", await File.ReadAllTextAsync(Path.Combine(bundle, "logs", "tea-backend-1.log"), Ct), StringComparison.Ordinal);
        Assert.Contains("job 7 done", await File.ReadAllTextAsync(Path.Combine(bundle, "logs", "tea-worker-1.log"), Ct), StringComparison.Ordinal);
        using var containers = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(bundle, "containers.json"), Ct));
        var backend = containers.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "tea-backend-1");
        Assert.Equal("running", backend.GetProperty("state").GetString());
        Assert.Equal(3, backend.GetProperty("restart_count").GetInt64());
        Assert.Equal("tea", backend.GetProperty("labels").GetProperty("com.docker.compose.project").GetString());
        Assert.Contains("3f2a1c9e", await File.ReadAllTextAsync(Path.Combine(bundle, "ledger.jsonl"), Ct), StringComparison.Ordinal);
        // No database on this host: no forensic backup, and the manifest says so.
        Assert.Equal(JsonValueKind.Null, manifest.RootElement.GetProperty("database_backup").ValueKind);
        Assert.False(last.Data.ContainsKey(OperationResultKeys.BackupId));
    }

    [Fact]
    public async Task Collect_never_streams_nor_journals_the_env_files_content()
    {
        AppWithEvidence();
        await using var agent = Agent();

        var events = await CollectAsync(agent, "run-1.3.test-1");

        Assert.Equal(V1.OperationPhase.Succeeded, events[^1].Phase);
        foreach (var secret in new[] { "s3cr3t-do-not-print", "hunter2", "abc123-project-level", "SECRET_KEY", "JWT_SECRET" })
        {
            Assert.DoesNotContain(events, e => e.Message.Contains(secret, StringComparison.Ordinal) || e.Data.Values.Any(v => v.Contains(secret, StringComparison.Ordinal)));
            // The agent's operation journal on disk neither.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(StateDir, "operations"), "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(secret, await File.ReadAllTextAsync(file, Ct), StringComparison.Ordinal);
            }
        }

        Assert.Contains(events, e => e.Step == "env" && e.Message.Contains("env/.env", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collect_on_a_host_with_nothing_to_collect_is_refused_and_writes_nothing()
    {
        await using var agent = Agent();
        var operations = agent.GetRequiredService<ForensicsOperations>();

        var error = await Assert.ThrowsAsync<AgentException>(() => operations.CollectAsync(new Model.OperationHeader("run-1.3.test-1"), 0, "tester", Ct));

        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("nothing to collect", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(StateDir, "forensics")));
    }

    [Fact]
    public async Task Collect_changes_no_container()
    {
        AppWithEvidence();
        await using var agent = Agent();

        await CollectAsync(agent, "run-1.3.test-1");

        Assert.Empty(_containers.Changes);
    }

    /// <summary>Docker as the collect sees it: the project's containers and their log lines; any change is recorded (and must not happen).</summary>
    private sealed class Containers : IContainerRuntime
    {
        private readonly List<(ContainerDetails Details, string[] Log)> _containers = [];

        public List<string> Changes { get; } = [];

        public void Add(string name, string service, string state, long restarts, string[] log) =>
            _containers.Add((new ContainerDetails(name, "id-" + name, service, $"tea-{service}:3f2a1c9e", state, restarts, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
                new Dictionary<string, string> { ["com.docker.compose.project"] = "tea", ["com.docker.compose.service"] = service }), log));

        public Task<IReadOnlyList<ContainerDetails>> ListContainersAsync(string project, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ContainerDetails>>(project == "tea" ? _containers.Select(c => c.Details).ToList() : []);

        public async IAsyncEnumerable<(string Stream, string Line)> LogsAsync(string containerId, int tail, bool follow, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var line in _containers.Single(c => c.Details.ContainerId == containerId).Log.TakeLast(tail))
            {
                yield return ("stdout", line);
            }
        }

        public Task<string> GetVersionAsync(CancellationToken cancellationToken) => Task.FromResult("27.0");

        public Task<IReadOnlyDictionary<string, ContainerState>> ListServicesAsync(string project, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) => Change("stop " + containerId);

        public Task StartAsync(string containerId, CancellationToken cancellationToken) => Change("start " + containerId);

        public Task RestartAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) => Change("restart " + containerId);

        public Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<IReadOnlyList<string>> ImageTagsAsync(string repository, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => Change("remove " + containerId);

        public async Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken)
        {
            await Change("remove image " + reference);
            return true;
        }

        public Task<bool?> RunHealthCheckAsync(string containerId, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

        public Task<ContainerUsage?> StatsAsync(string containerId, CancellationToken cancellationToken) => Task.FromResult<ContainerUsage?>(null);

        public Task SignalAsync(string containerId, string signal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<(string Pid, string Command)>> ProcessesAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> MountSourcesAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        private Task Change(string what)
        {
            Changes.Add(what);
            return Task.CompletedTask;
        }
    }
}
