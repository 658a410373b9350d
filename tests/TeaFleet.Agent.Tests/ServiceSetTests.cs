using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Releases;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>What a switch to a release touches, decided from the release's service set (Kiosk's real compose config output), and the read that gives it to the controller.</summary>
public sealed class ServiceSetTests
{
    private static readonly string[] DataServices = ["postgres", "redis"];

    private static ServerCallContext Call(string method) => TestServerCallContext.Create(
        method, null, DateTime.UtcNow.AddMinutes(1), [], TestContext.Current.CancellationToken, "127.0.0.1", null, null,
        _ => Task.CompletedTask, () => new WriteOptions(), _ => { });

    private static ReleaseServiceSet Kiosk(string release)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compose", "kiosk-" + release);
        return ComposeConfigReader.Parse(File.ReadAllText(Path.Combine(dir, "config.v1.yaml")), File.ReadAllText(Path.Combine(dir, "commit")).Trim());
    }

    private static ComposeProject Compose() => new(
        new ProcessRunner(NullLogger<ProcessRunner>.Instance), null!, Microsoft.Extensions.Options.Options.Create(new AgentOptions()));

    private static ServiceSwitch Decide(string release, string[] named, string[]? releaseServices = null) =>
        ServiceSwitch.Decide(Kiosk(release), named, releaseServices ?? ["api", "admin", "worker", "migrate", "dashboard"], DataServices, Compose().CannotSwitch, release);

    [Fact]
    public void All_release_services_are_the_configured_ones_the_target_defines_plus_what_it_adds_beyond_data_services()
    {
        Assert.Equal(["api", "admin", "dashboard"], Decide("1.0.0", []).Services);
        // 1.1.0 adds worker and migrate even where the configuration does not name them; the migrator runs first.
        var to110 = Decide("1.1.0", [], ["api", "admin"]);
        Assert.Equal(["migrate", "api", "admin", "worker"], to110.Services);
        Assert.Equal(["migrate"], to110.OneShots);
        Assert.Equal(["api", "admin", "worker"], to110.LongRunning);
        Assert.Equal(["api", "admin", "worker"], Decide("1.3.0", []).Services);
        // Data services are never chosen unless named.
        Assert.Equal(["api", "admin", "worker", "postgres"], Decide("1.3.0", ["api", "admin", "worker", "postgres"]).Services);
    }

    [Fact]
    public void A_named_service_brings_the_one_shot_it_waits_for()
    {
        var plan = Decide("1.1.0", ["api"]);

        Assert.Equal(["migrate", "api"], plan.Services);
        Assert.Equal(["migrate"], plan.OneShots);
        Assert.Equal(["api"], plan.LongRunning);
    }

    [Theory]
    [InlineData("1.0.0", "worker")]
    [InlineData("1.3.0", "migrate")]
    [InlineData("1.1.0", "dashboard")]
    public void A_named_service_the_target_does_not_define_is_refused_before_anything_changes(string release, string service)
    {
        var error = Assert.Throws<AgentException>(() => Decide(release, [service]));

        Assert.Equal(FailureKind.Invalid, error.Kind);
        Assert.Contains($"service {service} does not exist at {release}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_with_neither_image_nor_build_is_refused()
    {
        var set = new ReleaseServiceSet(new string('a', 40), [new ComposeService { Name = "api", Image = "kiosk-api:" + new string('a', 40) }, new ComposeService { Name = "sidecar" }]);

        var error = Assert.Throws<AgentException>(() => ServiceSwitch.Decide(set, [], ["api"], [], Compose().CannotSwitch, "x"));

        Assert.Equal(FailureKind.Precondition, error.Kind);
        Assert.Contains("service sidecar has neither image: nor build:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Containers_the_target_does_not_define_are_removed_but_never_data_services()
    {
        var running = new[] { "api", "admin", "worker", "migrate", "postgres", "redis", "cache" };

        Assert.Equal(["cache", "migrate", "worker"], ServiceSwitch.Orphans(Kiosk("1.0.0"), running, DataServices));
        Assert.Equal(["cache", "migrate"], ServiceSwitch.Orphans(Kiosk("1.3.0"), running, DataServices));
        Assert.Equal(["cache"], ServiceSwitch.Orphans(Kiosk("1.3.0"), running, [.. DataServices, "migrate"]).Intersect(["cache"]));
        Assert.Empty(ServiceSwitch.Orphans(new ReleaseServiceSet("c", []), ["postgres", "redis"], DataServices));
    }

    /// <summary>
    /// The read the controller plans with, end to end: a real git checkout holding Kiosk's 1.0.0 and 1.1.0
    /// compose files, compose run on the commit's own files (not the checkout's), the checkout untouched.
    /// </summary>
    [Fact]
    public async Task GetServiceSet_reads_any_commit_through_compose_without_touching_the_checkout()
    {
        if ((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').All(d => !File.Exists(Path.Combine(d, "docker-compose"))))
        {
            Assert.Skip("docker-compose is not on PATH; the decisions are tested on committed compose output above");
        }

        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("teafleet-kiosk-").FullName;
        try
        {
            void Git(params string[] args)
            {
                var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true };
                foreach (var arg in args)
                {
                    start.ArgumentList.Add(arg);
                }

                using var process = Process.Start(start)!;
                process.WaitForExit();
                Assert.Equal(0, process.ExitCode);
            }

            Git("init", "-q", "-b", "main");
            Git("config", "user.email", "t@teafleet.invalid");
            Git("config", "user.name", "Test");
            foreach (var context in new[] { "api", "worker", "postgres", "redis" })
            {
                Directory.CreateDirectory(Path.Combine(dir, context));
                File.WriteAllText(Path.Combine(dir, context, "Dockerfile"), "FROM scratch\n");
            }

            foreach (var release in new[] { "1.0.0", "1.1.0" })
            {
                File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "compose", "kiosk-" + release, "compose.yml"), Path.Combine(dir, "compose.yml"), overwrite: true);
                Git("add", "-A");
                Git("commit", "-q", "-m", "release " + release);
                Git("tag", release);
            }

            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "compose", "kiosk-1.0.0", "env"), Path.Combine(dir, ".env"));
            Git("checkout", "-q", "1.0.0");
            var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions
            {
                HostName = "b-test-1",
                App = new AppOptions
                {
                    CheckoutDir = dir,
                    ComposeFiles = ["compose.yml"],
                    ComposeCommand = ["docker-compose"],
                    ProjectName = "kiosk",
                    Services = ["api", "admin", "worker", "migrate", "dashboard", "postgres", "redis"],
                    ReleaseServices = ["api", "admin", "worker", "migrate", "dashboard"],
                },
            });
            var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
            var git = new GitRepository(runner, options);
            var images = new ImagesOnHost();
            var compose = new ComposeProject(runner, git, options);
            var rolling = new RollingHandover(compose, images, new HealthProber(null!), options, TimeProvider.System);
            var service = new ReleasesService(null!, new ServiceSetReader(git, compose, new ServiceCatalog(options), images, rolling));

            var response = await service.GetServiceSet(new GetServiceSetRequest { Commit = "1.1.0" }, Call("/teafleet.agent.v1.Releases/GetServiceSet"));

            Assert.Equal(["admin", "api", "migrate", "postgres", "redis", "worker"], response.Services.Select(s => s.Name));
            Assert.Equal(["migrate", "api", "admin", "worker"], response.SwitchServices);
            Assert.Equal("migrate", response.MigrationService);
            Assert.Empty(response.Problems);
            var migrate = response.Services.Single(s => s.Name == "migrate");
            Assert.True(migrate.OneShot && migrate.ReleaseTagged && migrate.Allowed && !migrate.DataService);
            Assert.True(response.Services.Single(s => s.Name == "postgres").DataService);
            Assert.Equal("service_completed_successfully", response.Services.Single(s => s.Name == "api").DependsOn.Single().Condition);
            // Kiosk has no proxy to hand a service over behind: every switched service is recreated, and says why.
            var api = response.Services.Single(s => s.Name == "api");
            Assert.Equal(("recreate", "not in Agent:App:Rolling"), (api.SwitchMode, api.SwitchReason));
            Assert.Equal("", migrate.SwitchMode);
            var at100 = await service.GetServiceSet(new GetServiceSetRequest(), Call("/g"));
            Assert.Equal(["api", "admin", "dashboard"], at100.SwitchServices);
            // 1.0.0's dashboard is a fixed upstream tag without build: missing on the host, the switch cannot succeed.
            Assert.Contains(at100.Problems, p => p.Contains("kiosk-upstream/dashboard:2.1.4 of dashboard is not on this host", StringComparison.Ordinal));
            images.Present.Add("kiosk-upstream/dashboard:2.1.4");
            Assert.Empty((await service.GetServiceSet(new GetServiceSetRequest { Commit = "1.0.0" }, Call("/g"))).Problems);
            // The checkout stayed at 1.0.0 with a clean index (git status lists nothing tracked).
            Assert.Equal(await git.ResolveAsync("1.0.0", ct), await git.HeadAsync(ct));
            Assert.Empty(await git.ChangesAsync(ct));
            await Assert.ThrowsAsync<AgentException>(() => service.GetServiceSet(new GetServiceSetRequest { Commit = "9.9.9" }, Call("/g")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The images a host has; the read asks only whether one is there (the fleet tests use a real Docker).</summary>
    private sealed class ImagesOnHost : IContainerRuntime
    {
        public HashSet<string> Present { get; } = [];

        public Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken) => Task.FromResult(Present.Contains(reference));

        public Task<string> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, ContainerState>> ListServicesAsync(string project, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ContainerDetails>> ListContainersAsync(string project, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StartAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RestartAsync(string containerId, int waitSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ImageTagsAsync(string repository, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool?> RunHealthCheckAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<(string Stream, string Line)> LogsAsync(string containerId, int tail, bool follow, DateTimeOffset? since, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ContainerUsage?> StatsAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SignalAsync(string containerId, string signal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<(string Pid, string Command)>> ProcessesAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> MountSourcesAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
