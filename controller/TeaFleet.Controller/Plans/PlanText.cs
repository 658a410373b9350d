using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Small pieces of text plans share: short commits, heads, data-loss windows, services.</summary>
public static class PlanText
{
    public static string Short(string commit) => commit.Length == 0 ? "(none)" : GitRefs.Short(commit);

    public static string Head(string heads) => heads.Length > 0 ? heads : "none";

    /// <summary>"2 h 30 min", "1 d 3 h 0 min", "12 min 5 s".</summary>
    public static string DataLossWindow(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h {span.Minutes} min"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{Math.Max(0, (int)span.TotalMinutes)} min {Math.Max(0, span.Seconds)} s";

    /// <summary>The traffic services in words ("frontend,backend"; none: "the app's services").</summary>
    public static string Traffic(IReadOnlyList<string> traffic) => traffic.Count > 0 ? string.Join(",", traffic) : "the app's services";

    /// <summary>The plan note's traffic sentence: which hosts are blocked during the run and let back one at a time, and which cannot be blocked and why.</summary>
    public static string Traffic(IReadOnlyList<HostConfig> blocked, IReadOnlyList<string> notBlocked) =>
        (blocked.Count > 0
            ? $" Traffic: the public ports of {string.Join(", ", blocked.Select(h => h.Name))} are blocked while the app is down (open only to the controller, for its checks) and let back one host at a time once the checks pass; a failure leaves them blocked."
            : "") +
        (notBlocked.Count > 0 ? $" No firewall block on {string.Join("; ", notBlocked)}: the stopped services are all that keeps users out." : "");

    public static string Time(DateTimeOffset time) => $"{time:yyyy-MM-dd HH:mm:ss}Z";
}
