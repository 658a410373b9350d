using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Tests;

public sealed class MigrationGraphTests
{
    private static (string, string) Script(string revision, string down) =>
        ($"{revision}.py", $"\"\"\"doc\"\"\"\nfrom alembic import op\n\nrevision = '{revision}'\ndown_revision = {down}\nbranch_labels = None\n");

    [Fact]
    public void Heads_and_steps_of_a_straight_line_and_of_a_branch_and_its_merge()
    {
        var graph = MigrationGraph.Parse([
            Script("a1", "None"), Script("b2", "'a1'"), Script("c3", "\"b2\""),
            Script("x1", "'b2'"), ("README.txt", "not a migration"),
        ]);

        Assert.Equal(["c3", "x1"], graph.Heads);
        Assert.Equal(2, graph.StepsBetween("a1", "c3"));
        Assert.Equal(3, graph.StepsBetween("", "c3"));
        Assert.Equal(0, graph.StepsBetween("c3", "c3"));
        Assert.Null(graph.StepsBetween("c3", "a1"));
        Assert.Null(graph.StepsBetween("x1", "c3"));

        var merged = MigrationGraph.Parse([Script("a1", "None"), Script("b2", "'a1'"), Script("x1", "'a1'"), Script("m4", "('b2', 'x1')")]);
        Assert.Equal(["m4"], merged.Heads);
        Assert.Equal(3, merged.StepsBetween("a1", "m4"));
    }

    [Fact]
    public void Two_scripts_with_the_same_revision_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => MigrationGraph.Parse([Script("a1", "None"), ("copy.py", "revision = 'a1'\ndown_revision = None\n")]));

        Assert.Contains("a1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_apps_releases_read_through_real_git_have_the_heads_their_migrations_declare()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Directory.CreateTempSubdirectory("teafleet-sample-").FullName;
        try
        {
            var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
            var bare = Path.Combine(work, "origin.git");
            Run("bash", Path.Combine(repo, "deploy", "sample-app", "make-repo.sh"), bare);
            var checkout = Path.Combine(work, "app");
            Run("git", "clone", "-q", bare, checkout);
            var git = new GitRepository(new ProcessRunner(NullLogger<ProcessRunner>.Instance),
                Microsoft.Extensions.Options.Options.Create(new AgentOptions { App = new AppOptions { CheckoutDir = checkout } }));

            var heads = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var tag in new[] { "v3", "v4", "v5" })
            {
                var commit = (await git.ResolveAsync(tag, ct))!;
                heads[tag] = MigrationGraph.Parse(await git.ReadDirectoryAsync(commit, "backend/alembic/versions", ct)).Heads;
            }

            Assert.Equal(["0001_initial"], heads["v3"]);
            Assert.Equal(["0002_teams"], heads["v4"]);
            Assert.Equal(["0003_audit"], heads["v5"]);
            var v5 = MigrationGraph.Parse(await git.ReadDirectoryAsync((await git.ResolveAsync("v5", ct))!, "backend/alembic/versions", ct));
            Assert.Equal(2, v5.StepsBetween("0001_initial", "0003_audit"));
            Assert.Empty(await git.ReadDirectoryAsync((await git.ResolveAsync("v5", ct))!, "no/such/dir", ct));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {stderr.Result}");
    }
}
