using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// The runbook's "monitor for 5-10 minutes" as a step: for <see cref="Window"/>, every <see cref="Interval"/>,
/// the controller probes the health URLs and the agents' /healthz, reads the services (a restart or a stop
/// fails it), the new error lines in their logs, and their resource use. On the controller host: the whole
/// environment; on a host: that host only (the gradual allow's watch before the next host).
/// </summary>
public sealed record MonitorStep(IReadOnlyList<Uri> Urls, TimeSpan Window, TimeSpan Interval) : ControllerStep
{
    protected override string OperationName => OperationKinds.Monitor;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
    [
        Arg("window", Seconds(Window)),
        Arg("every", Seconds(Interval)),
        Arg("urls", Urls.Count == 0 ? "none" : string.Join(" ", Urls)),
    ];

    /// <summary>"10 min", "45 s".</summary>
    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds >= 120 && span.TotalSeconds % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
