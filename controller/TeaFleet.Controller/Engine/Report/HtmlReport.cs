using System.Globalization;
using System.Text;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Draws an <see cref="IncidentReportModel"/> as one self-contained HTML page (<c>RUN_ID.html</c>): inline
/// CSS, the timeline as inline SVG, no script, font, image or link to anything outside the file. The
/// markup is XHTML-compatible (every element closed, attributes quoted, only XML's own entities), so it
/// parses as XML too; every text is encoded (<see cref="Html.Encode"/>). Readable on a phone and printed.
/// </summary>
public static class HtmlReport
{
    public static string Render(IncidentReportModel report)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        h.Append($"<title>Incident report: {E(report.Title)}</title><style>{Css}</style></head><body><main>");

        h.Append($"<header><p class=\"app\">{E(report.App)} · incident report</p>");
        h.Append($"<h1>{E(Capital(report.Kind))} of {E(report.Environment)} <span class=\"badge {ResultClass(report.Result)}\">{E(report.ResultWord)}</span></h1>");
        h.Append($"<p class=\"runid\">Run <code>{E(report.RunId)}</code></p>");
        h.Append("<nav><a href=\"#done\">What was done</a> <a href=\"#failed\">What failed</a> <a href=\"#timeline\">Timeline</a> <a href=\"#actions\">Actions</a> <a href=\"#status\">Status</a> <a href=\"#data-loss\">Data loss</a> <a href=\"#checklist\">Checklist</a>");
        if (report.Contacts.Count > 0)
        {
            h.Append(" <a href=\"#contacts\">Contacts</a>");
        }

        h.Append("</nav></header>");

        Done(h, report);
        Failed(h, report);
        h.Append("<section id=\"timeline\"><h2>Timeline</h2><div class=\"scroll\">").Append(TimelineSvg.Render(report)).Append("</div></section>");
        Actions(h, report);
        Status(h, report);
        h.Append($"<section id=\"data-loss\"><h2>Data loss</h2><p>{E(report.DataLoss)}</p></section>");
        h.Append($"<section id=\"drill\"><h2>Drill</h2><p>{(report.DrillRunId is { } drill ? $"Rehearsed on staging: run <code>{E(drill)}</code>." : E(Capital(report.Drill)) + ".")}</p></section>");
        Checklist(h, report);
        Evidence(h, report);
        Contacts(h, report);
        h.Append($"<footer><p>Written from the run journal <code>{E(report.JournalPath)}</code> by <code>teafleet report {E(report.RunId)}</code>.</p></footer>");
        h.Append("</main></body></html>\n");
        return h.ToString();
    }

    private static void Done(StringBuilder h, IncidentReportModel r)
    {
        h.Append("<section id=\"done\"><h2>What was done</h2><dl class=\"facts\">");
        Fact(h, "Kind", r.Kind);
        Fact(h, "Environment", r.Environment);
        Fact(h, "Type", r.Type);
        if (r.SwitchesCode)
        {
            h.Append($"<dt>Target</dt><dd><code>{E(r.TargetCommit)}</code>{(r.TargetTags.Count > 0 ? " (" + E(string.Join(", ", r.TargetTags)) + ")" : "")}</dd>");
            Fact(h, "Services", r.Services);
            h.Append("<dt>Previous commits</dt><dd><ul class=\"plain\">");
            foreach (var (host, commit) in r.PreviousCommits)
            {
                h.Append($"<li>{E(host)}: <code>{E(commit.Length > 0 ? commit : "(none)")}</code></li>");
            }

            h.Append("</ul></dd>");
        }

        Fact(h, "Requested by", r.Who);
        if (r.Reason is { } reason)
        {
            Fact(h, "Reason", reason);
        }

        Fact(h, "Started", $"{Time(r.Started)}");
        Fact(h, "Finished", r.Finished is { } f ? $"{Time(f)} ({Seconds(f - r.Started)})" : "no end in the journal");
        if (r.TypeReason is { } why)
        {
            Fact(h, "Why this type", why);
        }

        if (r.PlanNote is { } note)
        {
            Fact(h, "Plan", note);
        }

        h.Append("</dl></section>");
    }

    private static void Failed(StringBuilder h, IncidentReportModel r)
    {
        h.Append("<section id=\"failed\"><h2>What failed and when it was detected</h2>");
        if (r.Failure is { } f)
        {
            h.Append("<div class=\"callout bad\">");
            h.Append($"<p><strong>{E(Capital(f.What))} {E(f.ResultWord)}</strong>; detected <strong>{E(Time(f.DetectedAt))}</strong> ({E(Seconds(f.DetectedAt - r.Started))} into the run).</p>");
            h.Append($"<pre class=\"msg\">{E(f.Message)}</pre></div>");
        }
        else
        {
            h.Append("<div class=\"callout ok\"><p><strong>Nothing failed.</strong></p></div>");
        }

        if (r.OtherFailures.Count > 0)
        {
            h.Append($"<p>{(r.Failure is null ? "Attempts that failed and were retried:" : "Also went wrong:")}</p><ul>");
            foreach (var o in r.OtherFailures)
            {
                h.Append($"<li>Step {E(o.Label)} on {E(o.Host)} ({E(o.Operation)}) {E(o.ResultWord)} at {E(o.Finished is { } at ? Clock(at) : "-")}: {E(o.Message)}</li>");
            }

            h.Append("</ul>");
        }

        h.Append("</section>");
    }

    private static void Actions(StringBuilder h, IncidentReportModel r)
    {
        h.Append("<section id=\"actions\"><h2>Actions taken</h2><div class=\"scroll\"><table class=\"steps\"><thead><tr>");
        h.Append("<th>Step</th><th>Host</th><th>Operation</th><th>Started</th><th>Ended</th><th>Took</th><th>Result</th><th>Message</th></tr></thead><tbody>");
        foreach (var a in r.Attempts)
        {
            var took = a.Started is { } s && a.Finished is { } e ? Seconds(e - s) : "";
            h.Append($"<tr class=\"{(a.Ran ? ResultClass(a.Result) : "not-run")}{(a.WayBack ? " way-back" : "")}\">");
            h.Append($"<td class=\"step\">{a.Step}{(a.Attempt is { } n ? $" <span class=\"att\">attempt {n}</span>" : "")}{(a.WayBack ? " <span class=\"tag\">way back</span>" : "")}</td><td>{E(a.Host)}</td>");
            h.Append($"<td>{E(a.Operation)}{(a.OperationId is { } id ? $"<br/><code class=\"opid\">{E(id)}</code>" : "")}</td>");
            h.Append($"<td>{E(a.Started is { } st ? Clock(st) : "-")}</td><td>{E(a.Finished is { } en ? Clock(en) : "-")}</td><td>{E(took)}</td>");
            h.Append($"<td><span class=\"badge {(a.Ran ? ResultClass(a.Result) : "not-run")}\">{E(a.ResultWord)}</span></td><td class=\"msg\">{E(a.Message)}</td></tr>");
        }

        h.Append("</tbody></table></div></section>");
    }

    private static void Status(StringBuilder h, IncidentReportModel r)
    {
        h.Append("<section id=\"status\"><h2>Current status</h2><dl class=\"facts\">");
        h.Append($"<dt>Result</dt><dd><span class=\"badge {ResultClass(r.Result)}\">{E(r.ResultWord)}</span>{(r.Error is { } err ? " " + E(err) : "")}</dd>");
        h.Append($"<dt>Down after the run</dt><dd{(r.Down is { Count: > 0 } ? " class=\"down\"" : "")}>{E(r.DownText)}</dd>");
        if (r.NotRun is { Count: > 0 } notRun)
        {
            Fact(h, "Not run", string.Join(", ", notRun));
        }

        h.Append("</dl></section>");
    }

    private static void Checklist(StringBuilder h, IncidentReportModel r)
    {
        h.Append("<section id=\"checklist\"><h2>Rollback checklist</h2><ul class=\"checklist\">");
        foreach (var item in r.Checklist)
        {
            var (cls, word) = item.State switch
            {
                ChecklistState.Verified => ("verified", "verified"),
                ChecklistState.Confirmed => ("confirmed", "confirmed"),
                _ => ("not-done", "not done"),
            };
            h.Append($"<li class=\"{cls}\"><span class=\"box\">{(item.Done ? "☑" : "☐")}</span> <span class=\"state {cls}\">{word}</span> {E(item.Item)}");
            if (item.Evidence is { } evidence)
            {
                h.Append($"<br/><span class=\"evidence\">{E(evidence)}</span>");
            }

            h.Append("</li>");
        }

        h.Append("</ul></section>");
    }

    private static void Evidence(StringBuilder h, IncidentReportModel r)
    {
        if (r.Evidence.Count == 0)
        {
            return;
        }

        h.Append("<section id=\"evidence\"><h2>Evidence</h2><ul>");
        foreach (var line in r.Evidence)
        {
            h.Append($"<li>{E(line)}</li>");
        }

        h.Append("</ul></section>");
    }

    private static void Contacts(StringBuilder h, IncidentReportModel r)
    {
        if (r.Contacts.Count == 0)
        {
            return;
        }

        h.Append("<section id=\"contacts\"><h2>Contacts</h2><table class=\"contacts\"><thead><tr><th>Role</th><th>Name</th><th>Phone</th></tr></thead><tbody>");
        foreach (var c in r.Contacts)
        {
            var tel = new string(c.Phone.Where(ch => char.IsAsciiDigit(ch) || ch == '+').ToArray());
            h.Append($"<tr><td>{E(c.Role)}</td><td>{E(c.Name)}</td><td>{(tel.Length > 0 ? $"<a href=\"tel:{E(tel)}\">{E(c.Phone)}</a>" : E(c.Phone))}</td></tr>");
        }

        h.Append("</tbody></table></section>");
    }

    private static void Fact(StringBuilder h, string term, string value) => h.Append($"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    private static string ResultClass(StepResult? result) => result is { } r ? "r-" + r.Word() : "r-running";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 120 ? span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : span.TotalMinutes < 120 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
        : $"{(int)span.TotalHours} h {span.Minutes} min";

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string E(string? text) => Html.Encode(text);

    /// <summary>The page's only style: no fonts to fetch, system fonts; colours kept when printed.</summary>
    private const string Css = """
        :root{color-scheme:light}
        *{box-sizing:border-box}
        body{margin:0;color:#1b1b1b;background:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1080px;margin:0 auto;padding:16px 20px 40px}
        header .app{margin:0;color:#555;font-size:.9em}
        h1{font-size:1.5em;margin:.15em 0}
        h2{font-size:1.15em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #e3e3e3}
        .runid{margin:.2em 0;color:#444}
        nav{margin:.6em 0;font-size:.85em}
        nav a{color:#0b57a4;margin-right:.8em;text-decoration:none;white-space:nowrap}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em}
        .opid{color:#666;font-size:.78em;white-space:nowrap}
        td.step{white-space:nowrap}
        td.step .att{display:block;font-size:.78em;color:#555}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1.2em;margin:0}
        dl.facts dt{font-weight:600;color:#444}
        dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
        dl.facts code{overflow-wrap:anywhere}
        dd.down{color:#b71c1c;font-weight:600}
        ul.plain{list-style:none;margin:0;padding:0}
        .badge{display:inline-block;padding:.05em .55em;border-radius:.8em;font-size:.8em;font-weight:700;color:#fff;background:#757575;vertical-align:middle;white-space:nowrap}
        .badge.r-succeeded{background:#2e7d32}.badge.r-failed{background:#c62828}.badge.r-skipped{background:#9e9e9e}
        .badge.r-cancelled{background:#e65100}.badge.r-interrupted{background:#6a1b9a}.badge.r-running{background:#1565c0}
        .badge.not-run{background:#fff;color:#757575;border:1px solid #bdbdbd}
        .callout{border-left:6px solid #2e7d32;background:#e8f5e9;padding:.5em 1em;margin:.4em 0;break-inside:avoid}
        .callout.bad{border-color:#c62828;background:#fdecea}
        .callout p{margin:.3em 0}
        pre.msg{white-space:pre-wrap;overflow-wrap:anywhere;margin:.4em 0;background:#fff;border:1px solid #f3c1bd;padding:.5em}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.88em}
        th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f5f5f5}
        td.msg{min-width:14em;overflow-wrap:anywhere}
        tr.r-failed td,tr.r-interrupted td,tr.r-cancelled td{background:#fdecea}
        tr.not-run td{color:#888}
        .tag{display:inline-block;font-size:.72em;color:#6a1b9a;border:1px solid #ce93d8;border-radius:.5em;padding:0 .3em;white-space:nowrap}
        ul.checklist{list-style:none;padding:0;margin:0}
        ul.checklist li{padding:.3em 0;border-bottom:1px solid #f0f0f0}
        .box{font-size:1.1em}
        .state{display:inline-block;min-width:6.2em;font-size:.72em;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:#757575}
        .state.verified{color:#2e7d32}.state.confirmed{color:#0b57a4}
        .evidence{display:inline-block;margin-left:2.2em;color:#555;font-size:.85em}
        table.contacts{width:auto;font-size:1em}
        table.contacts a{color:#0b57a4;font-weight:600}
        footer{margin-top:2em;color:#666;font-size:.8em;overflow-wrap:anywhere}
        svg.timeline{display:block;width:100%;min-width:680px;height:auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
        .timeline text{font-size:11px;fill:#333}
        .timeline .host{font-weight:600}
        .timeline .lane{fill:#fafafa}.timeline .lane.alt{fill:#f1f1f1}
        .timeline .axis line{stroke:#9e9e9e;stroke-width:1}
        .timeline .axis line.grid{stroke:#e0e0e0;stroke-dasharray:2 3}
        .timeline .r-succeeded{fill:#2e7d32}.timeline .r-failed{fill:#c62828}.timeline .r-skipped{fill:#bdbdbd}
        .timeline .r-cancelled{fill:#e65100}.timeline .r-interrupted{fill:#6a1b9a}
        .timeline .r-running{fill:#90caf9;stroke:#1565c0;stroke-width:1;stroke-dasharray:3 2}
        .timeline rect.failure{stroke:#4a0000;stroke-width:2}
        .timeline .num{font-size:10px;font-weight:700;fill:#222}
        .timeline .num.in{fill:#fff}
        .timeline .failure-marker line{stroke:#b71c1c;stroke-width:2;stroke-dasharray:5 3}
        .timeline .failure-marker polygon{fill:#b71c1c}
        .timeline .failure-marker text{fill:#b71c1c;font-weight:700}
        .timeline .marker-key{stroke:#b71c1c;stroke-width:2;stroke-dasharray:4 2}
        @media (max-width:640px){
          body{font-size:14px}
          main{padding:10px 12px 30px}
          dl.facts{grid-template-columns:1fr}
          dl.facts dt{margin-top:.4em}
        }
        @media print{
          *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
          body{font-size:10pt}
          main{max-width:none;padding:0}
          nav{display:none}
          .scroll{overflow:visible}
          svg.timeline{min-width:0}
          h2{break-after:avoid}
          tr,li{break-inside:avoid}
          a{color:inherit;text-decoration:none}
        }
        """;
}
