using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// ufw, run as Agent:Firewall:Command with an argument list (never a shell), in the C locale so its
/// output reads the same on every host. Reads: `status numbered` and `show added`; changes: the
/// argument lists FirewallOperations builds from validated ports. Never reset, enable or disable.
/// </summary>
public sealed partial class Ufw(ProcessRunner runner, IOptions<AgentOptions> options)
{
    private static readonly Dictionary<string, string?> Environment = new() { ["LC_ALL"] = "C", ["LANG"] = "C", ["LANGUAGE"] = null };

    private FirewallOptions Options => options.Value.Firewall;

    /// <summary>`ufw status numbered`: active or not, and the rules.</summary>
    public async Task<UfwStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var lines = await RunAsync(["status", "numbered"], cancellationToken);
        var active = lines.Any(l => l.Trim() == "Status: active");
        var rules = lines.Select(UfwRule.Parse).OfType<UfwRule>().ToList();
        return new UfwStatus(active, rules, lines.Where(l => l.Length > 0).ToList());
    }

    /// <summary>
    /// The arguments that add the plain rule for PORT/PROTO as ufw recorded it (`show added`: "ufw allow
    /// log 80/tcp comment 'web'" gives ["allow", "log", "80/tcp", "comment", "web"]); null when there is none.
    /// </summary>
    public async Task<IReadOnlyList<string>?> AddedPlainRuleAsync(int port, string protocol, CancellationToken cancellationToken)
    {
        foreach (var line in await RunAsync(["show", "added"], cancellationToken))
        {
            var m = AddedPattern().Match(line.Trim());
            if (m.Success && m.Groups["to"].Value == $"{port}/{protocol}")
            {
                var command = new List<string> { m.Groups["action"].Value };
                if (m.Groups["log"].Success)
                {
                    command.Add(m.Groups["log"].Value);
                }

                command.Add(m.Groups["to"].Value);
                if (m.Groups["comment"].Success)
                {
                    command.AddRange(["comment", m.Groups["comment"].Value]);
                }

                return command;
            }
        }

        return null;
    }

    /// <summary>Runs ufw with these arguments; its output lines. A non-zero exit throws with ufw's last lines.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var command = Options.UfwCommand;
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(command[0], [.. command.Skip(1), .. arguments], "/", Environment, null, cancellationToken);
        }
        catch (AgentException ex) when (ex.Kind == FailureKind.Precondition)
        {
            throw Missing(ex.Message);
        }

        if (result.ExitCode is 126 or 127)
        {
            // nsenter, env and the shell say "failed to execute ufw" / "not found" this way.
            throw Missing(string.Join(" | ", result.Tail.TakeLast(3)));
        }

        if (result.ExitCode != 0)
        {
            var last = string.Join(" | ", result.Tail.TakeLast(5));
            if (last.Contains("need to be root", StringComparison.Ordinal))
            {
                throw AgentException.Precondition($"ufw on {options.Value.HostName} needs root: {last}; run the agent as root (the systemd unit does)");
            }

            throw new ProcessFailedException($"ufw {string.Join(' ', arguments)} exited with {result.ExitCode}: {last}", result);
        }

        // Standard output whole (the tail keeps only the last lines of both streams).
        return result.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
    }

    private AgentException Missing(string detail) => AgentException.Precondition(
        $"ufw cannot be run on {options.Value.HostName} ({string.Join(' ', Options.UfwCommand)}: {detail}): install it (`apt-get install ufw`) " +
        "or set Agent:Firewall:Command to the ufw program and its leading arguments, e.g. [\"/usr/sbin/ufw\"]");

    [GeneratedRegex(@"^ufw (?<action>allow|deny|reject|limit)(?: (?<log>log|log-all))? (?<to>\d+/(?:tcp|udp))(?: comment '(?<comment>.*)')?$")]
    private static partial Regex AddedPattern();
}
