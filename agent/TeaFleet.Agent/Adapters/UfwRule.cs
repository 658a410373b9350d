using System.Text.RegularExpressions;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// One line of `ufw status numbered`: "[ 3] 443/tcp (v6)   ALLOW IN   Anywhere (v6)   # web". The
/// "(v6)" marks the IPv6 twin of a rule: with IPV6=yes one ufw command adds, updates or deletes both.
/// </summary>
public sealed partial record UfwRule(int Number, string To, string Action, string From, bool V6, string Line)
{
    /// <summary>The rule a plain `ufw ACTION PORT/PROTO` adds or updates: that port and protocol, incoming, from anywhere, on no interface.</summary>
    public bool IsPlain(int port, string protocol) =>
        To == $"{port}/{protocol}" && Action.EndsWith(" IN", StringComparison.Ordinal) && AnywherePattern().IsMatch(From);

    /// <summary>Another rule that names the port in its destination ("80", "80/tcp on eth0", "80 from 10.0.0.0/8"...): an operator's, never touched.</summary>
    public bool Mentions(int port) => PortPattern().Match(To) is { Success: true } m && m.Groups["port"].Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool Lets => Action.StartsWith("ALLOW", StringComparison.Ordinal) || Action.StartsWith("LIMIT", StringComparison.Ordinal);

    /// <summary>Parses a numbered line; null for headers and blank lines.</summary>
    public static UfwRule? Parse(string line)
    {
        var m = LinePattern().Match(line);
        if (!m.Success)
        {
            return null;
        }

        var to = m.Groups["to"].Value.Trim();
        var v6 = to.EndsWith(" (v6)", StringComparison.Ordinal);
        if (v6)
        {
            to = to[..^" (v6)".Length];
        }

        return new UfwRule(int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), to, m.Groups["action"].Value, m.Groups["from"].Value.Trim(), v6, line.TrimEnd());
    }

    [GeneratedRegex(@"^\[\s*(?<n>\d+)\]\s(?<to>.+?)\s+(?<action>(?:ALLOW|DENY|REJECT|LIMIT)(?: (?:IN|OUT|FWD))?)(?:\s+(?<from>.*?))?\s*$")]
    private static partial Regex LinePattern();

    // "Anywhere" or "Anywhere (v6)", then nothing, a log mark or a comment.
    [GeneratedRegex(@"^Anywhere(?: \(v6\))?(?:\s+\((?:log|log-all)\))?(?:\s+#.*)?$")]
    private static partial Regex AnywherePattern();

    [GeneratedRegex(@"^(?<port>\d+)(?:/(?:tcp|udp))?(?:\s|$)")]
    private static partial Regex PortPattern();
}
