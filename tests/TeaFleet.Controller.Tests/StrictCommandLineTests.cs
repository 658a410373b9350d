using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Cli;
using Spectre.Console.Testing;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Commands;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The command line refuses what it does not understand (exit 2, the closest valid spelling), before the
/// inventory is read or an agent is asked anything.
/// </summary>
public sealed partial class StrictCommandLineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingReaders _readers = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The sample inventory: real addresses no agent answers on here, so running anything would fail loudly.</summary>
    private string Inventory => _dir.File("teafleet.yaml", Samples.Inventory);

    private string MissingInventory => Path.Combine(_dir.Path, "missing.yaml");

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(_time, _readers, args);

    private void AssertNothingHappened(string output)
    {
        Assert.Equal("", output);
        Assert.Equal(0, _readers.Created);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state")));
    }

    private static string FirstLine(string error) => error.Split(Environment.NewLine)[0];

    [Fact]
    public async Task Deploy_with_dry_run_is_refused_with_the_deploy_options_before_the_inventory_is_read()
    {
        var (exit, output, error) = await RunAsync("deploy", "staging", "v3", "--dry-run", "--yes", "-i", MissingInventory);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(
            "error: deploy has no option '--dry-run'. Its options: --services LIST, -y|--yes, --reason TEXT, -i|--inventory FILE, --json.",
            FirstLine(error));
        Assert.Contains("Run 'teafleet deploy --help' for its arguments and options.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.yaml", error, StringComparison.Ordinal);
        AssertNothingHappened(output);
    }

    [Fact]
    public async Task Deploy_with_dry_run_and_a_real_inventory_contacts_no_agent()
    {
        var (exit, output, error) = await RunAsync("deploy", "staging", "v3", "--dry-run", "--yes", "-i", Inventory, "--json");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith("error: deploy has no option '--dry-run'.", error, StringComparison.Ordinal);
        AssertNothingHappened(output);
    }

    [Fact]
    public async Task A_misspelt_option_gets_the_closest_valid_spelling()
    {
        var (exit, output, error) = await RunAsync("rollback", "production", "--servics", "backend", "--yes", "-i", Inventory);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("error: rollback has no option '--servics'; did you mean '--services'?", FirstLine(error));
        Assert.Contains("Run 'teafleet rollback --help'", error, StringComparison.Ordinal);
        AssertNothingHappened(output);
    }

    [Theory]
    [InlineData("error: plan rollback has no option '--frobnicate'. Its options: --to REF, --services LIST, --type N, --before TIME, --backup ID, -i|--inventory FILE, --json.", "plan", "rollback", "production", "--frobnicate")]
    [InlineData("error: plan rollback has no option '--yes'. Its options: --to REF, --services LIST, --type N, --before TIME, --backup ID, -i|--inventory FILE, --json.", "plan", "rollback", "production", "--yes")]
    [InlineData("error: repair migration-failed has no option '--plann'; did you mean '--plan'?", "repair", "migration-failed", "staging", "--plann")]
    [InlineData("error: certs init has no option '--dirr'; did you mean '--dir'?", "certs", "init", "--dirr", "pki")]
    [InlineData("error: certs agent has no option '--ipp'; did you mean '--ip'?", "certs", "agent", "prod-1", "--ipp", "10.0.0.5")]
    [InlineData("error: deploy has no option '-x'. Its options: --services LIST, -y|--yes, --reason TEXT, -i|--inventory FILE, --json.", "deploy", "staging", "v3", "-x")]
    [InlineData("error: backups has no option '--dryrun'; did you mean '--dry-run'?", "backups", "production", "--prune", "--dryrun")]
    public async Task Every_command_and_branch_refuses_an_unknown_option(string expected, params string[] args)
    {
        var (exit, output, error) = await RunAsync([.. args, "-i", MissingInventory]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(expected, FirstLine(error));
        Assert.Contains($"Run 'teafleet {expected.Split(" has ")[0]["error: ".Length..]} --help'", error, StringComparison.Ordinal);
        AssertNothingHappened(output);
    }

    [Theory]
    [InlineData("error: deploy takes 2 arguments (ENV REF): 'extra' is one too many.", "deploy", "staging", "v3", "extra")]
    [InlineData("error: plan rollback takes 1 argument (ENV): 'v1' is one too many.", "plan", "rollback", "production", "v1")]
    [InlineData("error: runs takes no arguments: 'extra' is one too many.", "runs", "extra")]
    [InlineData("error: certs init takes no arguments: 'pki' is one too many.", "certs", "init", "pki")]
    public async Task An_extra_argument_is_refused_with_the_arguments_the_command_takes(string expected, params string[] args)
    {
        var (exit, output, error) = await RunAsync([.. args, "-i", MissingInventory]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(expected, FirstLine(error));
        AssertNothingHappened(output);
    }

    [Fact]
    public async Task Words_after_a_double_dash_are_refused_not_ignored()
    {
        var (exit, output, error) = await RunAsync("deploy", "staging", "v3", "--yes", "-i", MissingInventory, "--", "--dry-run");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("error: '--dry-run' after '--' would be ignored: deploy takes nothing after '--'.", FirstLine(error));
        AssertNothingHappened(output);
    }

    [Theory]
    [InlineData("rollbak", "error: unknown command 'rollbak'; did you mean 'rollback'?")]
    [InlineData("plan rolback", "error: unknown command 'plan rolback'; did you mean 'plan rollback'?")]
    public async Task A_misspelt_command_gets_the_closest_command(string command, string expected)
    {
        var (exit, output, error) = await RunAsync([.. command.Split(' '), "production", "-i", MissingInventory]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(expected, FirstLine(error));
        AssertNothingHappened(output);
    }

    [Theory]
    [InlineData("", "error: --services '' names no service: name at least one service (--services a,b), or leave out --services for all release services.")]
    [InlineData(",", "error: --services ',' names no service: name at least one service (--services a,b), or leave out --services for all release services.")]
    [InlineData(" ", "error: --services ' ' names no service: name at least one service (--services a,b), or leave out --services for all release services.")]
    [InlineData("backend,,worker", "error: --services 'backend,,worker' has an empty service name: separate the names with single commas (--services a,b), no leading, trailing or double comma.")]
    [InlineData("backend,", "error: --services 'backend,' has an empty service name: separate the names with single commas (--services a,b), no leading, trailing or double comma.")]
    [InlineData("backend,ng inx", "error: --services: 'ng inx' is not a service name (letters, digits, '-', '_', '.').")]
    public async Task An_empty_service_list_or_item_is_refused_never_read_as_all_services(string services, string expected)
    {
        foreach (var args in new[]
        {
            new[] { "deploy", "staging", "v3", "--yes" },
            ["plan", "rollback", "staging"],
            ["rollback", "staging", "--yes"],
        })
        {
            var (exit, output, error) = await RunAsync([.. args, "--services", services, "-i", Inventory]);

            Assert.Equal(ExitCodes.BadInput, exit);
            Assert.Equal(expected, FirstLine(error));
            Assert.Contains($"Run 'teafleet {string.Join(' ', args.TakeWhile(a => a is "deploy" or "plan" or "rollback"))} --help'", error, StringComparison.Ordinal);
            AssertNothingHappened(output);
        }
    }

    [Fact]
    public async Task Every_list_option_of_every_command_refuses_an_empty_value()
    {
        var catalog = default(CommandCatalog);
        new CommandApp().Configure(c => catalog = CommandAppSetup.Configure(c, _time, _readers, [], TextWriter.Null));
        var lists = catalog!.Commands.SelectMany(c => c.Options.Where(o => o.ValueName == "LIST").Select(o => (Command: c, Option: "--" + o.LongNames[0]))).ToList();

        Assert.Contains(lists, l => l.Command.Path == "deploy");
        foreach (var (command, option) in lists)
        {
            string[] args = [.. command.Path.Split(' '), .. command.Arguments.Select(a => a.ValueName == "REF" ? "v3" : "staging"), option, "", "-i", MissingInventory];
            var (exit, output, error) = await RunAsync(args);

            Assert.True(exit == ExitCodes.BadInput && error.StartsWith($"error: {option} '' names no ", StringComparison.Ordinal), $"teafleet {string.Join(' ', args)}: exit {exit}, {error}");
            AssertNothingHappened(output);
        }
    }

    [Fact]
    public async Task Global_options_still_go_before_or_after_the_command()
    {
        var fleet = new FakeFleetReader().WithHistory(["staging-1"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        var before = await CliRun.RunAsync(_time, fleet, "-i", Inventory, "--json", "plan", "rollback", "staging");
        var after = await CliRun.RunAsync(_time, fleet, "plan", "rollback", "staging", "--json", "-i", Inventory);
        var between = await CliRun.RunAsync(_time, fleet, "plan", "rollback", "--json", "staging", "--inventory", Inventory);

        Assert.Equal((0, 0, 0), (before.ExitCode, after.ExitCode, between.ExitCode));
        Assert.Contains(Samples.C1, before.Output, StringComparison.Ordinal);
        Assert.Equal(before.Output, after.Output);
        Assert.Equal(before.Output, between.Output);
        Assert.Equal("", before.Error + after.Error + between.Error);
    }

    [Fact]
    public async Task Every_example_in_the_help_parses_strictly()
    {
        // Spectre's ValidateExamples parses each WithExample line with the strict parser before running;
        // a broken one fails the app (CommandConfigurationException, exit 2 through our handler).
        var (exit, error) = await RunWithExampleValidationAsync(_ => { });
        var (badExit, badError) = await RunWithExampleValidationAsync(c => c.AddCommand<RunsCommand>("bogus").WithExample("bogus", "--frobnicate"));

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(ExitCodes.BadInput, badExit);
        Assert.Contains("Validation of examples failed", badError, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Error)> RunWithExampleValidationAsync(Action<IConfigurator> extra)
    {
        string[] args = ["runs", "--help"];
        using var error = new StringWriter();
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.ConfigureConsole(new TestConsole());
            _ = CommandAppSetup.Configure(c, _time, _readers, args, error);
            extra(c);
            c.ValidateExamples();
        });
        var exit = await app.RunAsync(args, TestContext.Current.CancellationToken);
        return (exit, error.ToString());
    }

    [Fact]
    public async Task Every_command_line_of_the_readme_parses()
    {
        var lines = ReadmeCommandLines();

        Assert.True(lines.Count >= 20, $"found only {lines.Count} command lines in the README's 'Using it'");
        foreach (var line in lines)
        {
            // --help: parsed in full (strictly), then help is printed instead of running it.
            var (exit, _, error) = await RunAsync([.. line, "--help"]);
            Assert.True(exit == 0 && error.Length == 0, $"teafleet {string.Join(' ', line)}: exit {exit}, {error}");
        }

        Assert.Equal(0, _readers.Created);
    }

    /// <summary>The <c>$T ...</c> lines of the README's "Using it" block, $I expanded, comments dropped, split as a shell would (double quotes only).</summary>
    private static List<string[]> ReadmeCommandLines()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TeaFleet.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var readme = File.ReadAllText(Path.Combine(root.FullName, "README.md"));
        var section = readme[readme.IndexOf("## Using it", StringComparison.Ordinal)..];
        var block = section[section.IndexOf("```bash", StringComparison.Ordinal)..section.IndexOf("\n```\n", StringComparison.Ordinal)];
        return block.Split('\n')
            .Select(l => Regex.Replace(l, @"\s+#.*$", ""))
            .SelectMany(l => l.Split(';'))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("$T ", StringComparison.Ordinal))
            .Select(l => Word().Matches(l.Replace("$I", "-i deploy/dev/teafleet.yaml", StringComparison.Ordinal)).Select(m => m.Value.Trim('"')).Skip(1).ToArray())
            .ToList();
    }

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Word();

    /// <summary>Counts how often a command got as far as asking the fleet anything.</summary>
    private sealed class CountingReaders : IFleetReaderFactory
    {
        private readonly FakeFleetReader _fake = new();

        public int Created { get; private set; }

        public IFleetReader Create(AgentPool agents)
        {
            Created++;
            return _fake;
        }

        public ILeaseCalls Leases(AgentPool agents)
        {
            Created++;
            throw new InvalidOperationException("a refused command line must not ask any agent for a lease");
        }
    }
}
