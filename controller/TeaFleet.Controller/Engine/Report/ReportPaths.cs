namespace TeaFleet.Controller.Engine;

/// <summary>Where a run's incident report was written: the Markdown and the HTML page beside it.</summary>
public sealed record ReportPaths(string Markdown, string Html);
