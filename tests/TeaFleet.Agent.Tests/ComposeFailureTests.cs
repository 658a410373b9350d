using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// A compose command that fails says why in its last lines, not compose's own warnings: Compose v2 warns
/// "the attribute `version` is obsolete" on every call for the many apps that still have the key, and those
/// lines came first in the five a failure reports. The warnings stay in the step's log.
/// </summary>
public sealed class ComposeFailureTests
{
    [Theory]
    [InlineData("time=\"2026-12-03T07:44:03Z\" level=warning msg=\"/app/compose.yml: the attribute `version` is obsolete, it will be ignored\"", true)]
    [InlineData("time=\"2026-12-03T07:14:23Z\" level=warning msg=\"volume \\\"tea_db_data\\\" already exists but was created for project \\\"tea\\\"\"", true)]
    [InlineData("time=\"2026-12-03T07:14:23Z\" level=error msg=\"the real reason\"", false)]
    [InlineData("Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?", false)]
    [InlineData("WARNING: a line of the app's own that says level=warning ", false)]
    public void A_compose_warning_is_told_from_other_lines(string line, bool warning) =>
        Assert.Equal(warning, ComposeProject.IsComposeWarning(line));

    /// <summary>Real compose, a real failure: no Docker engine at the endpoint, a compose file with `version:`.</summary>
    [Fact]
    public async Task A_failed_compose_command_reports_its_error_not_the_version_warnings()
    {
        var compose = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "docker-compose")).FirstOrDefault(File.Exists);
        if (compose is null)
        {
            Assert.Skip("docker-compose is not on PATH");
        }

        var dir = Directory.CreateTempSubdirectory("teafleet-compose-fail-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "compose.yml"), "version: \"3.8\"\nservices:\n  web:\n    image: busybox\n    network_mode: host\n", TestContext.Current.CancellationToken);
            var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions
            {
                HostName = "test-1",
                Docker = new DockerOptions { Endpoint = $"unix://{dir}/no-engine.sock" },
                App = new AppOptions
                {
                    CheckoutDir = dir,
                    ComposeFiles = ["compose.yml"],
                    ComposeCommand = [compose],
                    ProjectName = "failing",
                    Services = ["web"],
                },
            });
            var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
            var project = new ComposeProject(runner, new GitRepository(runner, options), options);
            var logged = new List<string>();

            var failure = await Assert.ThrowsAsync<ProcessFailedException>(() =>
                project.UpAsync("0123456789abcdef0123456789abcdef01234567", ["web"], logged.Add, TestContext.Current.CancellationToken));

            Assert.NotEqual(0, failure.Result.ExitCode);
            Assert.Contains("Cannot connect to the Docker daemon", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("obsolete", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(failure.Result.Tail, ComposeProject.IsComposeWarning);
            Assert.StartsWith($"{compose} up ", failure.Message, StringComparison.Ordinal);
            // Compose v2 warns; v1 did not know the key was obsolete. Where it warned, the step's log has it.
            if (logged.Any(l => l.Contains("obsolete", StringComparison.Ordinal)))
            {
                Assert.Contains(logged, ComposeProject.IsComposeWarning);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
