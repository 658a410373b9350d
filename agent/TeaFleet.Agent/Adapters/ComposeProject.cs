using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The app's Compose project: reads the services a release defines (by asking compose, per commit)
/// and runs the host's compose command for config, build and up, with argument lists.
/// </summary>
public sealed class ComposeProject(ProcessRunner runner, GitRepository git, IOptions<AgentOptions> options)
{
    private readonly Dictionary<string, ReleaseServiceSet> _sets = new(StringComparer.Ordinal);

    private AppOptions App => options.Value.App;

    /// <summary>
    /// The services the release's own compose files define, as compose itself reads them: the commit's
    /// tree materialised into a temporary directory (git, never the checkout), the checkout's .env
    /// files (root and project directory) beside it, the release variable set to the commit, then <c>compose config</c>. Cached per
    /// commit (a commit's files never change; .env changes take an agent restart to be seen).
    /// </summary>
    public async Task<ReleaseServiceSet> ServicesAtAsync(string commit, CancellationToken cancellationToken)
    {
        lock (_sets)
        {
            if (_sets.TryGetValue(commit, out var cached))
            {
                return cached;
            }
        }

        var dir = await MaterialiseAsync(commit, cancellationToken);
        try
        {
            ProcessResult result;
            try
            {
                result = await RunAsync(commit, ["config"], null, cancellationToken, workingDirectory: dir.FullName);
            }
            catch (ProcessFailedException ex)
            {
                throw AgentException.Precondition($"compose cannot read the compose files at {GitRefs.Short(commit)}: {string.Join(" | ", ex.Result.Tail.TakeLast(5))}");
            }

            ReleaseServiceSet set;
            try
            {
                set = ComposeConfigReader.Parse(result.StandardOutput, commit);
            }
            catch (InvalidDataException ex)
            {
                throw AgentException.Precondition($"the compose files at {GitRefs.Short(commit)}: {ex.Message}");
            }

            lock (_sets)
            {
                _sets[commit] = set;
            }

            return set;
        }
        finally
        {
            DeleteQuietly(dir);
        }
    }

    /// <summary>
    /// The commit's tree materialised into a temporary directory (git, never the checkout), with the
    /// checkout's untracked .env files (root and project directory) beside it. The caller deletes it.
    /// </summary>
    private async Task<DirectoryInfo> MaterialiseAsync(string commit, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("teafleet-release-");
        try
        {
            await git.MaterialiseAsync(commit, dir.FullName, cancellationToken);
            foreach (var file in App.ComposeFiles)
            {
                if (!File.Exists(Path.Combine(dir.FullName, file)))
                {
                    throw AgentException.Precondition(
                        $"the compose file {file} does not exist at {GitRefs.Short(commit)}; check App:ComposeFiles in the agent's configuration");
                }
            }

            // The untracked .env files beside it: the checkout root's, and the project directory's (the first
            // compose file's directory, where compose itself reads .env from, e.g. ops/docker/.env).
            foreach (var relative in new[] { ".env", Path.Combine(Path.GetDirectoryName(App.ComposeFiles.FirstOrDefault() ?? "") ?? "", ".env") }.Distinct(StringComparer.Ordinal))
            {
                var env = Path.Combine(App.CheckoutDir, relative);
                if (File.Exists(env))
                {
                    File.Copy(env, Path.Combine(dir.FullName, relative), overwrite: true);
                }
            }

            return dir;
        }
        catch
        {
            DeleteQuietly(dir);
            throw;
        }
    }

    private static void DeleteQuietly(DirectoryInfo dir)
    {
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    /// <summary>
    /// Whether a service can be switched at the release: it must have an image or a build, and an image
    /// of the app's own code (one it builds) must follow the release. Null when it can; else why not.
    /// </summary>
    public string? CannotSwitch(ReleaseServiceSet set, string service)
    {
        var definition = set.Find(service);
        if (definition is null)
        {
            return $"the compose files at {GitRefs.Short(set.Commit)} do not define service {service} (they define {string.Join(", ", set.Names)})";
        }

        if (definition.Image.Length == 0 && !definition.HasBuild)
        {
            return $"service {service} has neither image: nor build: at {GitRefs.Short(set.Commit)}";
        }

        if (definition.Image.Length == 0)
        {
            return $"the compose files at {GitRefs.Short(set.Commit)} give service {service} no image: name; TeaFleet needs `image: <name>:${{{App.ReleaseVariable}}}` to keep releases apart";
        }

        return null;
    }

    public Task<ProcessResult> BuildAsync(string commit, IReadOnlyList<string> services, bool noCache, Action<string> onLine, CancellationToken cancellationToken)
    {
        List<string> args = ["build"];
        if (noCache)
        {
            args.Add("--no-cache");
        }

        args.AddRange(services);
        return RunAsync(commit, args, onLine, cancellationToken);
    }

    /// <summary>
    /// Builds services of a release that is not checked out, from the commit's own files (materialised
    /// as for ServicesAtAsync): BuildAsync builds from the checkout, which holds the live release's code,
    /// so an image tagged for another commit would carry the wrong code. Untracked files other than .env
    /// that a build context needs are not there.
    /// </summary>
    public async Task<ProcessResult> BuildAtAsync(string commit, IReadOnlyList<string> services, bool noCache, Action<string> onLine, CancellationToken cancellationToken)
    {
        var dir = await MaterialiseAsync(commit, cancellationToken);
        try
        {
            List<string> args = ["build"];
            if (noCache)
            {
                args.Add("--no-cache");
            }

            args.AddRange(services);
            return await RunAsync(commit, args, onLine, cancellationToken, workingDirectory: dir.FullName);
        }
        finally
        {
            DeleteQuietly(dir);
        }
    }

    /// <summary>
    /// Runs a one-shot service of the release to completion, attached (<c>up --no-deps --no-build
    /// --force-recreate --exit-code-from SERVICE SERVICE</c>, without colours): its log lines stream to <paramref name="onLine"/>
    /// and compose exits with the container's exit code. Throws when that is not 0.
    /// </summary>
    public Task<ProcessResult> RunToCompletionAsync(string commit, string service, Action<string> onLine, CancellationToken cancellationToken) =>
        RunAsync(commit, ["up", "--no-color", "--no-deps", "--no-build", "--force-recreate", "--exit-code-from", service, service], onLine, cancellationToken);

    /// <summary>Recreates exactly the given services (no dependencies) on the release's images.</summary>
    public Task<ProcessResult> UpAsync(string commit, IReadOnlyList<string> services, Action<string> onLine, CancellationToken cancellationToken)
    {
        List<string> args = ["up", "-d", "--no-deps", "--no-build", "--force-recreate", "--timeout", App.StopTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        args.AddRange(services);
        return RunAsync(commit, args, onLine, cancellationToken);
    }

    /// <summary>
    /// Runs a command in a one-off container of a service's image for the release (<c>run --rm
    /// --no-deps -T --entrypoint</c>): works whether the service's own container runs or not, and
    /// never builds (the caller checks the image is there). Returns the output; throws on a non-zero exit.
    /// </summary>
    public Task<ProcessResult> RunOneOffAsync(string commit, string service, IReadOnlyList<string> entrypoint, IReadOnlyList<string> arguments, Action<string> onLine, CancellationToken cancellationToken)
    {
        // Compose splits --entrypoint like a shell would (shlex), so each word is quoted when it needs to be.
        var words = entrypoint.Select(w => w.Length > 0 && w.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c)) ? w : "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
        List<string> args = ["run", "--rm", "--no-deps", "-T", "--entrypoint", string.Join(' ', words), service];
        args.AddRange(arguments);
        // A project name of its own: compose v1 links a one-off container to the service's running
        // containers of the same project, which host networking refuses ("can't be used with links").
        return RunAsync(commit, args, onLine, cancellationToken, App.ProjectName + "-oneoff");
    }

    /// <summary>The compose project a stand-in runs in (never the app's own: its listing, its orphans and its recreates stay as they are).</summary>
    public string StandInProject => App.ProjectName + "-standin";

    /// <summary>
    /// Starts a stand-in of a service at the release, detached, in <see cref="StandInProject"/>
    /// (<c>run -d --no-deps --name NAME -e VARIABLE=VALUE SERVICE</c>): the service's own command, image and
    /// settings, with the environment given on top (its port). Returns when the container has started.
    /// </summary>
    public Task<ProcessResult> RunStandInAsync(string commit, string service, string name, IReadOnlyDictionary<string, string> environment, Action<string> onLine, CancellationToken cancellationToken)
    {
        List<string> args = ["run", "-d", "--no-deps", "--name", name];
        foreach (var (key, value) in environment)
        {
            args.Add("-e");
            args.Add($"{key}={value}");
        }

        args.Add(service);
        return RunAsync(commit, args, onLine, cancellationToken, StandInProject);
    }

    /// <summary>
    /// Whether a line is one of compose's own warnings (v2: <c>time="…" level=warning msg="…"</c>), such as "the
    /// attribute `version` is obsolete", printed on every call for many apps. They stay in the step's log, but
    /// are not why a command failed: a failure's tail is the lines after them.
    /// </summary>
    public static bool IsComposeWarning(string line) =>
        line.StartsWith("time=\"", StringComparison.Ordinal) && line.Contains(" level=warning ", StringComparison.Ordinal);

    private async Task<ProcessResult> RunAsync(string commit, IReadOnlyList<string> subcommand, Action<string>? onLine, CancellationToken cancellationToken, string? project = null, string? workingDirectory = null)
    {
        try
        {
            return await RunComposeAsync(commit, subcommand, onLine, cancellationToken, project, workingDirectory);
        }
        catch (ProcessFailedException ex)
        {
            var tail = ex.Result.Tail.Where(l => !IsComposeWarning(l)).ToList();
            var command = App.ComposeCommand;
            throw new ProcessFailedException(
                $"{string.Join(' ', command)} {string.Join(' ', subcommand.Take(6))} exited with {ex.Result.ExitCode}: {string.Join(" | ", tail.TakeLast(5))}",
                ex.Result with { Tail = tail });
        }
    }

    private Task<ProcessResult> RunComposeAsync(string commit, IReadOnlyList<string> subcommand, Action<string>? onLine, CancellationToken cancellationToken, string? project, string? workingDirectory)
    {
        var command = App.ComposeCommand;
        List<string> args = [.. command.Skip(1), "-p", project ?? App.ProjectName];
        foreach (var file in App.ComposeFiles)
        {
            args.Add("-f");
            args.Add(file);
        }

        args.AddRange(subcommand);
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = options.Value.Docker.Endpoint,
            [App.ReleaseVariable] = commit,
            // Compose v1 prints progress with terminal control codes unless told otherwise.
            ["COMPOSE_INTERACTIVE_NO_CLI"] = "1",
            ["DOCKER_BUILDKIT"] = "0",
            ["COMPOSE_DOCKER_CLI_BUILD"] = "0",
        };
        return runner.RunCheckedAsync(command[0], args, workingDirectory ?? App.CheckoutDir, environment, onLine, cancellationToken);
    }
}
