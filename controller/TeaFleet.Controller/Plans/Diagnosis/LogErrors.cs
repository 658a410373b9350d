using System.Text.RegularExpressions;

namespace TeaFleet.Controller.Plans;

/// <summary>The lines of one service's log tail that look like errors, and the last few as evidence.</summary>
public sealed partial record LogErrors(string Host, string Service, int Lines, int Errors, IReadOnlyList<string> Last)
{
    /// <summary>How many error lines in a tail make a service's log "full of errors".</summary>
    public const int Many = 5;

    /// <summary>How many of the last error lines are kept as evidence.</summary>
    public const int Kept = 3;

    /// <summary>Whether the tail has <see cref="Many"/> error lines or more.</summary>
    public bool Elevated => Errors >= Many;

    /// <summary>Counts the error-looking lines of a log tail.</summary>
    public static LogErrors Of(string host, string service, IReadOnlyList<string> lines)
    {
        var errors = lines.Where(IsError).ToList();
        return new LogErrors(host, service, lines.Count, errors.Count, errors.TakeLast(Kept).Select(l => l.Length > 300 ? l[..300] + "…" : l).ToList());
    }

    /// <summary>
    /// A Python traceback, a log level of ERROR, CRITICAL or FATAL, an exception's name, or an access-log
    /// line with a 5xx status after the request ("GET / HTTP/1.1" 502).
    /// </summary>
    public static bool IsError(string line) => ErrorLine().IsMatch(line);

    /// <summary>An access-log line answered 503: what a proxy logs for each request while the maintenance page is on.</summary>
    public static bool IsMaintenanceAnswer(string line) => line.Contains("\" 503 ", StringComparison.Ordinal);

    [GeneratedRegex(@"Traceback \(most recent call last\)|\b(ERROR|CRITICAL|FATAL)\b|\b\w*(Exception|Error):|\bException\b|""\s5\d\d\s", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorLine();
}
