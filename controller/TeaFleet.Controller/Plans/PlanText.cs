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

    public static string Time(DateTimeOffset time) => $"{time:yyyy-MM-dd HH:mm:ss}Z";
}
