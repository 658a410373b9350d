using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using YamlDotNet.RepresentationModel;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The app's Compose project: reads which image each service runs (as the compose file names it for
/// a release) and runs the host's compose command for build and up, with argument lists.
/// </summary>
public sealed partial class ComposeProject(ProcessRunner runner, IOptions<AgentOptions> options)
{
    private AppOptions App => options.Value.App;

    /// <summary>The image reference each service gets for a release commit, from the checked-out compose files.</summary>
    public IReadOnlyDictionary<string, string> ImagesFor(string commit, IEnumerable<string> services)
    {
        var variables = ReadDotEnv(Path.Combine(App.CheckoutDir, ".env"));
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        variables[App.ReleaseVariable] = commit;
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in App.ComposeFiles)
        {
            var path = Path.Combine(App.CheckoutDir, file);
            if (!File.Exists(path))
            {
                throw AgentException.Precondition($"the compose file {path} is missing at this release; check App:ComposeFiles in the agent's configuration");
            }

            var yaml = new YamlStream();
            using (var reader = File.OpenText(path))
            {
                yaml.Load(reader);
            }

            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root ||
                !root.Children.TryGetValue(new YamlScalarNode("services"), out var servicesNode) || servicesNode is not YamlMappingNode serviceMap)
            {
                continue;
            }

            foreach (var (key, value) in serviceMap.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode service &&
                    service.Children.TryGetValue(new YamlScalarNode("image"), out var imageNode) && imageNode is YamlScalarNode { Value: { } image })
                {
                    images[name] = Interpolate(image, variables);
                }
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!images.TryGetValue(service, out var image))
            {
                throw AgentException.Precondition($"the compose files at this release give service {service} no image: name; TeaFleet needs `image: <name>:${{{App.ReleaseVariable}}}` to keep releases apart");
            }

            if (!image.Contains(commit, StringComparison.Ordinal))
            {
                throw AgentException.Precondition($"service {service}'s image '{image}' is not tagged by release; write `image: <name>:${{{App.ReleaseVariable}}}` in the compose file");
            }

            result[service] = image;
        }

        return result;
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

    private Task<ProcessResult> RunAsync(string commit, IReadOnlyList<string> subcommand, Action<string> onLine, CancellationToken cancellationToken, string? project = null)
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
        return runner.RunCheckedAsync(command[0], args, App.CheckoutDir, environment, onLine, cancellationToken);
    }

    internal static string Interpolate(string text, IReadOnlyDictionary<string, string> variables) =>
        VariablePattern().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            var hasValue = variables.TryGetValue(name, out var value);
            if (match.Groups["op"].Success)
            {
                var fallback = match.Groups["default"].Value;
                var emptyCounts = match.Groups["op"].Value == ":-";
                if (!hasValue || (emptyCounts && string.IsNullOrEmpty(value)))
                {
                    return fallback;
                }
            }

            return value ?? "";
        });

    private static Dictionary<string, string> ReadDotEnv(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                result[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }

        return result;
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?-)(?<default>[^}]*))?\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();
}
