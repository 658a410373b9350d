using System.Globalization;
using System.Text;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// The report's timeline as inline SVG: one lane per host (the controller's steps in a lane of their own),
/// time from the run's start to its end on the x axis, one bar per attempt coloured by its result (class
/// <c>r-succeeded</c>, <c>r-failed</c>, ...) with the step number on or beside it and a tooltip, a marker
/// where the failure was detected, and a legend. Bars of one host share its lane, so hundreds of steps
/// add no height; a bar is never narrower than <see cref="MinBar"/>, so a zero-length step stays visible.
/// </summary>
public static class TimelineSvg
{
    public const double Width = 960;
    public const double MinBar = 3;
    private const double LabelWidth = 112;
    private const double RightPad = 16;
    private const double Top = 26;
    private const double LaneHeight = 28;
    private const double BarHeight = 16;
    private const double AxisHeight = 26;
    private const double LegendHeight = 22;
    private const double CharWidth = 6.2;

    /// <summary>Every class a bar can have, in legend order, with the legend's words.</summary>
    public static readonly IReadOnlyList<(string Class, string Label)> Results =
    [
        ("r-succeeded", "succeeded"), ("r-failed", "failed"), ("r-skipped", "skipped"),
        ("r-cancelled", "cancelled"), ("r-interrupted", "interrupted"), ("r-running", "running / no end"),
    ];

    /// <summary>The class of an attempt's bar: <c>r-</c> and its result word, <c>r-running</c> without an end.</summary>
    public static string ClassOf(ReportAttempt attempt) => attempt.Result is { } r ? "r-" + r.Word() : "r-running";

    public static string Render(IncidentReportModel report)
    {
        var bars = report.Attempts.Where(a => a.Ran && a.Started is not null).ToList();
        var svg = new StringBuilder();
        if (bars.Count == 0)
        {
            svg.Append(F($"<svg class=\"timeline\" viewBox=\"0 0 {Width} 40\" role=\"img\" aria-label=\"Timeline: no step ran\">"));
            svg.Append("<text x=\"12\" y=\"24\" class=\"empty\">No step ran in this run.</text></svg>");
            return svg.ToString();
        }

        var t0 = report.Started;
        var t1 = new[] { report.TimelineEnd }.Concat(bars.Select(b => b.Finished ?? b.Started!.Value)).Max();
        if (report.Failure is { } f && f.DetectedAt > t1)
        {
            t1 = f.DetectedAt;
        }

        if (t1 - t0 < TimeSpan.FromSeconds(1))
        {
            t1 = t0 + TimeSpan.FromSeconds(1);
        }

        var plot = Width - LabelWidth - RightPad;
        var span = (t1 - t0).TotalSeconds;
        double X(DateTimeOffset t) => LabelWidth + Math.Clamp((t - t0).TotalSeconds / span, 0, 1) * plot;
        var lanes = report.Lanes;
        var lanesBottom = Top + (lanes.Count * LaneHeight);
        var height = lanesBottom + AxisHeight + LegendHeight + 6;

        svg.Append(F($"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"Timeline of run {Html.Encode(report.RunId)}: one lane per host, one bar per step attempt\">"));
        for (var i = 0; i < lanes.Count; i++)
        {
            var y = Top + (i * LaneHeight);
            svg.Append(F($"<rect class=\"lane{(i % 2 == 1 ? " alt" : "")}\" x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{LaneHeight}\"/>"));
            svg.Append(F($"<text class=\"host\" x=\"{LabelWidth - 8}\" y=\"{y + (LaneHeight / 2) + 4}\" text-anchor=\"end\">{Html.Encode(Fit(lanes[i], 17))}</text>"));
        }

        Axis(svg, t0, t1, X, lanesBottom);
        var labelEnds = lanes.ToDictionary(l => l, _ => double.MinValue, StringComparer.Ordinal);
        var failureBar = report.Failure is { Step: { } fs } failure ? bars.FirstOrDefault(b => b.Step == fs && b.Attempt == failure.Attempt && b.Host == failure.Host) : null;
        var placed = bars.OrderBy(b => b.Started).Select(b =>
        {
            var x = X(b.Started!.Value);
            var w = Math.Max(MinBar, X(b.Finished ?? t1) - x);
            return (Bar: b, X: Math.Min(x, LabelWidth + plot - w), W: w);
        }).ToList();
        for (var k = 0; k < placed.Count; k++)
        {
            var (bar, x, w) = placed[k];
            var lane = IndexOf(lanes, bar.Host);
            var y = Top + (lane * LaneHeight) + ((LaneHeight - BarHeight) / 2);
            // Where the lane's next bar starts: a label beside this bar must end before it.
            var next = placed.Skip(k + 1).Where(p => p.Bar.Host == bar.Host).Select(p => p.X).DefaultIfEmpty(Width).First();
            var cls = ClassOf(bar);
            svg.Append(F($"<g class=\"step\"><title>{Html.Encode(Tooltip(bar))}</title>"));
            svg.Append(F($"<rect class=\"bar {cls}{(ReferenceEquals(bar, failureBar) ? " failure" : "")}\" x=\"{x:0.##}\" y=\"{y}\" width=\"{w:0.##}\" height=\"{BarHeight}\" rx=\"2\"/>"));
            var number = bar.Attempt is { } n ? $"{bar.Step}.{n}" : $"{bar.Step}";
            var textWidth = (number.Length * CharWidth) + 4;
            double labelX;
            var inside = w >= textWidth;
            labelX = inside ? x + (w / 2) : x + w + 2;
            var labelStart = inside ? labelX - (textWidth / 2) : labelX;
            // Labels that would overlap the lane's previous one are left out (the tooltip still has the number); the failure's is always drawn.
            if ((labelStart >= labelEnds[bar.Host] + 1 && (inside || labelStart + textWidth <= next)) || ReferenceEquals(bar, failureBar))
            {
                svg.Append(F($"<text class=\"num{(inside ? " in" : "")}\" x=\"{labelX:0.##}\" y=\"{y + BarHeight - 4}\"{(inside ? " text-anchor=\"middle\"" : "")}>{number}</text>"));
                labelEnds[bar.Host] = labelStart + textWidth;
            }

            svg.Append("</g>");
        }

        if (report.Failure is { } detected)
        {
            var mx = X(detected.DetectedAt);
            var label = $"failure detected {detected.DetectedAt:HH:mm:ss}";
            var right = mx > LabelWidth + (plot / 2);
            svg.Append(F($"<g class=\"failure-marker\"><title>{Html.Encode($"{label}: {detected.What}: {detected.Message}")}</title>"));
            svg.Append(F($"<line x1=\"{mx:0.##}\" y1=\"{Top - 6}\" x2=\"{mx:0.##}\" y2=\"{lanesBottom}\"/>"));
            svg.Append(F($"<polygon points=\"{mx - 5:0.##},{Top - 12} {mx + 5:0.##},{Top - 12} {mx:0.##},{Top - 4}\"/>"));
            svg.Append(F($"<text x=\"{(right ? mx - 8 : mx + 8):0.##}\" y=\"{Top - 8}\"{(right ? " text-anchor=\"end\"" : "")}>{Html.Encode(label)}</text></g>"));
        }

        Legend(svg, lanesBottom + AxisHeight + 4, report.Failure is not null);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Axis(StringBuilder svg, DateTimeOffset t0, DateTimeOffset t1, Func<DateTimeOffset, double> x, double y)
    {
        var span = (t1 - t0).TotalSeconds;
        var step = new[] { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400 }
            .FirstOrDefault(s => span / s <= 8, 86400 * (int)Math.Ceiling(span / 86400 / 8));
        svg.Append(F($"<g class=\"axis\"><line x1=\"{LabelWidth}\" y1=\"{y}\" x2=\"{Width - RightPad}\" y2=\"{y}\"/>"));
        var first = Math.Ceiling(t0.ToUnixTimeMilliseconds() / 1000.0 / step) * step;
        for (var s = first; s <= t1.ToUnixTimeMilliseconds() / 1000.0; s += step)
        {
            var t = DateTimeOffset.FromUnixTimeMilliseconds((long)(s * 1000));
            var tx = x(t);
            svg.Append(F($"<line class=\"grid\" x1=\"{tx:0.##}\" y1=\"{Top}\" x2=\"{tx:0.##}\" y2=\"{y + 4}\"/>"));
            svg.Append(F($"<text x=\"{tx:0.##}\" y=\"{y + 16}\" text-anchor=\"middle\">{t.ToString(step >= 60 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture)}</text>"));
        }

        svg.Append(F($"<text x=\"{LabelWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\">UTC</text></g>"));
    }

    private static void Legend(StringBuilder svg, double y, bool withMarker)
    {
        svg.Append("<g class=\"legend\">");
        var x = LabelWidth;
        foreach (var (cls, label) in Results)
        {
            svg.Append(F($"<rect class=\"{cls}\" x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" rx=\"2\"/><text x=\"{x + 16}\" y=\"{y + 10}\">{label}</text>"));
            x += 22 + (label.Length * CharWidth);
        }

        if (withMarker)
        {
            svg.Append(F($"<line class=\"marker-key\" x1=\"{x + 6}\" y1=\"{y - 1}\" x2=\"{x + 6}\" y2=\"{y + 13}\"/><text x=\"{x + 14}\" y=\"{y + 10}\">failure detected</text>"));
        }

        svg.Append("</g>");
    }

    private static string Tooltip(ReportAttempt a)
    {
        var times = $"{a.Started:HH:mm:ss}–{(a.Finished is { } e ? e.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "(no end)")}";
        var took = a.Finished is { } end && a.Started is { } start ? F($" ({(end - start).TotalSeconds:0.#} s)") : "";
        return $"Step {a.Label}: {a.Operation} on {a.Host}, {times}{took}, {a.ResultWord}{(a.WayBack ? " (way back)" : "")}{(a.Message is { Length: > 0 } m ? $": {m}" : "")}";
    }

    private static int IndexOf(IReadOnlyList<string> lanes, string host)
    {
        for (var i = 0; i < lanes.Count; i++)
        {
            if (string.Equals(lanes[i], host, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0;
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
