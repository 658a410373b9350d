using System.Text;

namespace TeaFleet.Controller.Engine;

/// <summary>Draws an <see cref="IncidentReportModel"/> as Markdown (<c>RUN_ID.md</c>).</summary>
public static class MarkdownReport
{
    public static string Render(IncidentReportModel report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Incident report: {report.Title}");
        md.AppendLine();
        md.AppendLine($"- App: {report.App}");
        md.AppendLine($"- Result: **{report.ResultWord}**{(report.Error is { } err ? $" ({err})" : "")}");
        md.AppendLine($"- Type: {report.Type}");
        if (report.SwitchesCode)
        {
            md.AppendLine($"- Target commit: `{report.TargetCommit}`{(report.TargetTags.Count > 0 ? $" ({string.Join(", ", report.TargetTags)})" : "")}");
            md.AppendLine($"- Services: {report.Services}");
            md.AppendLine("- Previous commits:");
            foreach (var (host, commit) in report.PreviousCommits)
            {
                md.AppendLine($"  - {host}: `{(commit.Length > 0 ? commit : "(none)")}`");
            }
        }

        if (report.PlanNote is { } planNote)
        {
            md.AppendLine($"- Plan: {planNote}");
        }

        md.AppendLine($"- Requested by: {report.Who}");
        if (report.Reason is { } reason)
        {
            md.AppendLine($"- Reason: {reason}");
        }

        md.AppendLine($"- Drill: {report.Drill}");
        md.AppendLine($"- Started: {report.Started:u}; finished: {(report.Finished is { } f ? f.ToString("u") : "-")}{(report.Finished is { } g ? $" ({(g - report.Started).TotalSeconds:0.0} s)" : "")}");
        if (report.TypeReason is { } why)
        {
            md.AppendLine($"- Why this type: {why}");
        }

        md.AppendLine($"- {report.DataLoss}");
        md.AppendLine();
        md.AppendLine("## What failed and when it was detected");
        md.AppendLine();
        md.AppendLine(report.Failure is { } failure
            ? $"- {Capital(failure.What)} {failure.ResultWord}; detected {failure.DetectedAt:yyyy-MM-dd HH:mm:ss}Z: {Line(failure.Message)}"
            : "- Nothing failed.");
        foreach (var other in report.OtherFailures)
        {
            md.AppendLine($"- {(report.Failure is null ? "Retried after it" : "Also")} {other.ResultWord}: step {other.Label} on {other.Host} ({other.Operation}) at {other.Finished:yyyy-MM-dd HH:mm:ss}Z: {Line(other.Message)}");
        }

        md.AppendLine();
        md.AppendLine("## Timeline (actions taken)");
        md.AppendLine();
        md.AppendLine("| Step | Host | Operation | Operation id | Started | Ended | Result | Message |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var a in report.Attempts)
        {
            md.AppendLine(a.Ran
                ? $"| {a.Label} | {a.Host} | {a.Operation} | {a.OperationId ?? "-"} | {a.Started:HH:mm:ss} | {(a.Finished is { } e ? e.ToString("HH:mm:ss") : "-")} | {a.ResultWord} | {Cell(a.Message)} |"
                : $"| {a.Label} | {a.Host} | {a.Operation} | - | - | - | not run | |");
        }

        md.AppendLine();
        md.AppendLine("## Current status");
        md.AppendLine();
        md.AppendLine($"- Result: {report.ResultWord}{(report.Finished is { } at ? $" at {at:yyyy-MM-dd HH:mm:ss}Z" : " (no end in the journal)")}");
        md.AppendLine($"- Down after the run: {report.DownText}");
        if (report.NotRun is { Count: > 0 } notRun)
        {
            md.AppendLine($"- Not run: {string.Join(", ", notRun)}");
        }
        md.AppendLine();
        md.AppendLine("## Rollback checklist");
        md.AppendLine();
        foreach (var item in report.Checklist)
        {
            md.AppendLine($"- [{(item.Done ? "x" : " ")}] {item.Item}{Evidence(item)}");
        }

        if (report.Evidence.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Evidence");
            md.AppendLine();
            foreach (var line in report.Evidence)
            {
                md.AppendLine($"- {line}");
            }
        }

        if (report.Contacts.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Contacts");
            md.AppendLine();
            foreach (var c in report.Contacts)
            {
                md.AppendLine($"- {c.Role}: {c.Name} - {c.Phone}");
            }
        }

        md.AppendLine();
        md.AppendLine($"Journal: `{report.JournalPath}`");
        return md.ToString();
    }

    /// <summary>" (evidence)" for a done item, ": what stands in the way" for one not done.</summary>
    private static string Evidence(ChecklistItem item) => item switch
    {
        { Evidence: null } => "",
        { State: ChecklistState.NotDone } => $": {item.Evidence}",
        { State: ChecklistState.Confirmed } => $" (confirmed: {item.Evidence})",
        _ => $" ({item.Evidence})",
    };

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Line(string? text) => (text ?? "").Replace('\n', ' ').Trim();

    private static string Cell(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var t = text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Trim();
        return t.Length > 120 ? t[..117] + "..." : t;
    }
}
