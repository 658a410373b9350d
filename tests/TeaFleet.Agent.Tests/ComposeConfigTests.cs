using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The service set of a release, parsed from real <c>docker-compose config</c> output of both sample
/// apps (committed fixtures, Fixtures/compose/README.md), and the conclusions drawn from it.
/// </summary>
public sealed class ComposeConfigTests
{
    private static string FixtureDir(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compose", name);

    private static string CommitOf(string name) => File.ReadAllText(Path.Combine(FixtureDir(name), "commit")).Trim();

    /// <summary>The fixture's compose output of compose <paramref name="version"/> (v1: 1.29.2, v2: 2.26.1), parsed.</summary>
    private static ReleaseServiceSet Load(string name, string version) =>
        ComposeConfigReader.Parse(File.ReadAllText(Path.Combine(FixtureDir(name), $"config.{version}.yaml")), CommitOf(name));

    /// <summary>One line per service with every field the agent decides on, then the conclusions.</summary>
    private static string Describe(ReleaseServiceSet set) => string.Join("\n", set.Services.Select(s =>
            $"{s.Name} image={s.Image.Replace(set.Commit, "<commit>", StringComparison.Ordinal)} build={s.HasBuild} restart={s.Restart} " +
            $"health={s.HasHealthcheck} depends=[{string.Join(",", s.DependsOn.Select(d => $"{d.Service}:{d.Condition}"))}] " +
            $"profiles=[{string.Join(",", s.Profiles)}] command=[{string.Join(" ", s.Command)}]")
        .Append($"one-shots=[{string.Join(",", set.Names.Where(set.IsOneShot))}] release-tagged=[{string.Join(",", set.Names.Where(set.IsReleaseTagged))}] migrations={set.MigrationService}"));

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Kiosk_1_0_0_has_the_fixed_tag_dashboard_without_build_and_no_one_shot(string version)
    {
        var set = Load("kiosk-1.0.0", version);

        Assert.Equal(["admin", "api", "dashboard", "postgres", "redis"], set.Names);
        var dashboard = set.Find("dashboard")!;
        Assert.Equal("kiosk-upstream/dashboard:2.1.4", dashboard.Image);
        Assert.False(dashboard.HasBuild);
        Assert.False(dashboard.HasHealthcheck);
        Assert.False(set.IsReleaseTagged("dashboard"));
        Assert.Equal($"kiosk-api:{set.Commit}", set.Find("api")!.Image);
        Assert.True(set.Find("api")!.HasHealthcheck);
        // Host networking, as a handover to a stand-in on another port needs (Agent:App:Rolling).
        Assert.Equal("host", set.Find("api")!.NetworkMode);
        Assert.Equal(["/app/entrypoint.sh"], set.Find("api")!.Command);
        Assert.Equal(("kiosk-postgres:15", true), (set.Find("postgres")!.Image, set.Find("postgres")!.HasBuild));
        Assert.DoesNotContain(set.Names, set.IsOneShot);
        Assert.Equal("", set.MigrationService);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Kiosk_1_1_0_adds_worker_and_the_one_shot_migrate_that_api_waits_for(string version)
    {
        var set = Load("kiosk-1.1.0", version);

        Assert.Equal(["admin", "api", "migrate", "postgres", "redis", "worker"], set.Names);
        Assert.Equal([new ServiceDependency("migrate", ServiceDependency.CompletedSuccessfully)], set.Find("api")!.DependsOn);
        Assert.Equal("no", set.Find("migrate")!.Restart);
        Assert.Equal(["/app/migrate.sh"], set.Find("migrate")!.Command);
        Assert.True(set.IsOneShot("migrate"));
        Assert.False(set.IsOneShot("api"));
        Assert.False(set.IsOneShot("worker"));
        Assert.Equal("migrate", set.MigrationService);
        Assert.Equal(["admin", "api", "migrate", "worker"], set.Names.Where(set.IsReleaseTagged));
        // Naming only api still runs the migrator first: compose's --no-deps never skips it.
        Assert.Equal(["migrate", "api"], set.WithOneShotDependencies(["api"]));
        Assert.Equal(["migrate", "api", "admin", "worker"], set.StartOrder(["api", "admin", "worker", "migrate"]));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Kiosk_1_3_0_has_no_migrate_and_keeps_worker(string version)
    {
        var set = Load("kiosk-1.3.0", version);

        Assert.Equal(["admin", "api", "postgres", "redis", "worker"], set.Names);
        Assert.False(set.Defines("migrate"));
        Assert.Empty(set.Find("api")!.DependsOn);
        Assert.Equal("", set.MigrationService);
        Assert.Equal(["api"], set.WithOneShotDependencies(["api"]));
    }

    [Theory]
    [InlineData("tea-v1", "v1")]
    [InlineData("tea-v5", "v1")]
    [InlineData("tea-v1", "v2")]
    [InlineData("tea-v5", "v2")]
    public void The_sample_app_tags_every_service_by_release_and_has_no_one_shot(string name, string version)
    {
        var set = Load(name, version);

        Assert.Equal(["backend", "db", "frontend", "redis", "worker"], set.Names);
        Assert.All(set.Services, s => Assert.True(s.HasBuild));
        Assert.All(set.Services, s => Assert.Equal("unless-stopped", s.Restart));
        Assert.Equal(set.Names, set.Names.Where(set.IsReleaseTagged));
        Assert.Equal($"tea-backend:{CommitOf(name)}", set.Find("backend")!.Image);
        Assert.DoesNotContain(set.Names, set.IsOneShot);
        Assert.All(set.Services, s => Assert.Empty(s.DependsOn));
    }

    [Fact]
    public void Compose_v2_shapes_parse_too_long_depends_on_profiles_string_commands_and_disabled_health_checks()
    {
        // Shaped like compose v2's `config` (every depends_on in the long form, build as a map, restart
        // quoted), with what neither sample app has (profiles, a disabled health check, string commands).
        const string yaml = """
            name: kiosk
            services:
              api:
                build:
                  context: /srv/kiosk/api
                  dockerfile: Dockerfile
                depends_on:
                  migrate:
                    condition: service_completed_successfully
                    required: true
                  redis:
                    condition: service_started
                    required: true
                image: kiosk-api:abc1234
                healthcheck:
                  disable: true
              migrate:
                image: kiosk-migrate:abc1234
                build:
                  context: /srv/kiosk/api
                entrypoint: python3 -m alembic -c /app/config/alembic.ini
                command: upgrade head
                restart: "no"
              redis:
                image: kiosk-redis:7
                healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
              debug:
                image: busybox:1
                profiles: ["debug"]
                depends_on: [redis]
            """;

        var set = ComposeConfigReader.Parse(yaml, "abc1234");

        Assert.Equal(
            """
            api image=kiosk-api:<commit> build=True restart= health=False depends=[migrate:service_completed_successfully,redis:service_started] profiles=[] command=[]
            migrate image=kiosk-migrate:<commit> build=True restart=no health=False depends=[] profiles=[] command=[upgrade head]
            redis image=kiosk-redis:7 build=False restart= health=True depends=[] profiles=[] command=[]
            debug image=busybox:1 build=False restart= health=False depends=[redis:service_started] profiles=[debug] command=[]
            one-shots=[migrate] release-tagged=[api,migrate] migrations=migrate
            """.ReplaceLineEndings("\n"),
            Describe(set));
        Assert.Equal(["python3", "-m", "alembic", "-c", "/app/config/alembic.ini"], set.Find("migrate")!.Entrypoint);
    }

    /// <summary>Compose v1 and v2 print the same release differently (long forms, quoting, build maps): the same service set either way.</summary>
    [Theory]
    [InlineData("kiosk-1.0.0")]
    [InlineData("kiosk-1.1.0")]
    [InlineData("kiosk-1.3.0")]
    [InlineData("tea-v1")]
    [InlineData("tea-v5")]
    public void Compose_v1_and_v2_output_of_a_release_give_the_same_service_set(string name)
    {
        var (v1, v2) = (Load(name, "v1"), Load(name, "v2"));
        Assert.Equal(Describe(v1), Describe(v2));
        Assert.Equal(v1.Services.Select(s => (s.NetworkMode, string.Join(" ", s.Entrypoint))), v2.Services.Select(s => (s.NetworkMode, string.Join(" ", s.Entrypoint))));
    }

    [Fact]
    public void Output_that_is_not_a_compose_config_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ComposeConfigReader.Parse("services: [unclosed", "abc"));
        Assert.Throws<InvalidDataException>(() => ComposeConfigReader.Parse("- a list", "abc"));
    }

    /// <summary>
    /// Where docker-compose is installed, it is run on the committed compose files and must give the
    /// parse of the committed output of its own version (so the fixtures stay what compose prints). The committed fixtures are
    /// tested above either way.
    /// </summary>
    [Theory]
    [InlineData("kiosk-1.0.0", "kiosk")]
    [InlineData("kiosk-1.1.0", "kiosk")]
    [InlineData("kiosk-1.3.0", "kiosk")]
    [InlineData("tea-v5", "tea")]
    public async Task Docker_compose_on_this_machine_prints_what_the_fixtures_hold(string name, string project)
    {
        var compose = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "docker-compose")).FirstOrDefault(File.Exists);
        if (compose is null)
        {
            Assert.Skip("docker-compose is not on PATH; the committed fixtures are parsed by the other tests");
        }

        var dir = Directory.CreateTempSubdirectory("teafleet-compose-");
        try
        {
            File.Copy(Path.Combine(FixtureDir(name), "compose.yml"), Path.Combine(dir.FullName, "compose.yml"));
            File.Copy(Path.Combine(FixtureDir(name), "env"), Path.Combine(dir.FullName, ".env"));
            foreach (var context in new[] { "api", "worker", "postgres", "redis", "backend", "frontend", "db" })
            {
                Directory.CreateDirectory(Path.Combine(dir.FullName, context));
            }

            var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
            var result = await runner.RunCheckedAsync(compose, ["-p", project, "-f", "compose.yml", "config"], dir.FullName,
                new Dictionary<string, string?> { ["TEA_RELEASE"] = CommitOf(name) }, null, TestContext.Current.CancellationToken);

            var version = await runner.RunCheckedAsync(compose, ["version", "--short"], dir.FullName, null, null, TestContext.Current.CancellationToken);
            var fixture = version.StandardOutput.TrimStart('v').StartsWith("1.", StringComparison.Ordinal) ? "v1" : "v2";
            Assert.Equal(Describe(Load(name, fixture)), Describe(ComposeConfigReader.Parse(result.StandardOutput, CommitOf(name))));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
