using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Writes a run's incident report from its journal: <c>STATE_DIR/reports/RUN_ID.md</c> and, beside it, the
/// same report as one self-contained page, <c>RUN_ID.html</c>. One <see cref="IncidentReportModel"/> is
/// built and drawn twice (<see cref="MarkdownReport"/>, <see cref="HtmlReport"/>).
/// </summary>
public static class IncidentReport
{
    /// <param name="inventory">The inventory (app, contacts, the reports directory).</param>
    /// <param name="run">The run as journaled.</param>
    /// <param name="down">What the hosts had down once the run ended ("HOST: SERVICE (STATE)"); null: what the journal says.</param>
    /// <param name="directory">Where to write; null: the inventory's reports directory.</param>
    public static ReportPaths Write(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null, string? directory = null)
    {
        var dir = directory ?? inventory.ReportsDir;
        Directory.CreateDirectory(dir);
        var model = IncidentReportModel.From(inventory, run, down);
        var paths = new ReportPaths(Path.Combine(dir, run.RunId + ".md"), Path.Combine(dir, run.RunId + ".html"));
        File.WriteAllText(paths.Markdown, MarkdownReport.Render(model));
        File.WriteAllText(paths.Html, HtmlReport.Render(model));
        return paths;
    }

    /// <summary>The Markdown report.</summary>
    public static string Render(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null) =>
        MarkdownReport.Render(IncidentReportModel.From(inventory, run, down));

    /// <summary>The HTML report.</summary>
    public static string RenderHtml(FleetInventory inventory, RunRecord run, IReadOnlyList<string>? down = null) =>
        HtmlReport.Render(IncidentReportModel.From(inventory, run, down));
}
