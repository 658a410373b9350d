using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The incident report (Markdown and one self-contained HTML page, drawn from one model) and the
/// <c>teafleet report RUN</c> verb, on journals the tests write as the engine would.
/// </summary>
public sealed class IncidentReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private const string Hostile = "backend unhealthy: <script>alert(\"x\")</script> & 'quoted' > done";
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(T0.AddHours(1));

    public IncidentReportTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static readonly Plan Production = JournalTestData.RollbackPlan("production", Samples.C2, [], "prod-1", "prod-2") is var p
        ? p with
        {
            Steps =
            [
                .. p.Steps,
                new HealthCheckStep([new Uri("http://10.77.0.21/health")]) { Index = 3, Host = PlanStep.ControllerHost, Verification = "HTTP 200", OnFailure = "stop" },
            ],
        }
        : p;

    /// <summary>
    /// A production rollback whose step 2 (prod-2) failed, was resumed and retried as attempt 2 (succeeded),
    /// and whose health check (step 3, the controller's) then failed with a message full of markup.
    /// </summary>
    private string FailedRun()
    {
        var runId = "20261201-030000-production-beef";
        using var j = RunJournal.Create(_inventory.RunsDir, runId);
        j.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = T0, Plan = Production, Who = "alice@laptop via teafleet rollback", Flags = new RunFlags("inv", true, true, "INC-7 login broken", null, "rollback") });
        Step(j, 1, "prod-1", $"{runId}.1.prod-1", 1, 30, StepResult.Succeeded, "switched");
        Step(j, 2, "prod-2", $"{runId}.2.prod-2", 31, 40, StepResult.Failed, "recreate failed at step images: no space left", attempt: null);
        j.Write(new JournalEntry { Type = JournalEntry.RunFinished, Time = T0.AddSeconds(41), Result = StepResult.Failed, Error = "step 2 failed" });
        j.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = T0.AddSeconds(100), Who = "alice" });
        Step(j, 2, "prod-2", $"{runId}.2.prod-2.a2", 101, 131, StepResult.Succeeded, "switched", attempt: 2);
        Step(j, 3, PlanStep.ControllerHost, null, 132, 132, StepResult.Failed, Hostile);
        j.Write(new JournalEntry { Type = JournalEntry.RunFinished, Time = T0.AddSeconds(133), Result = StepResult.Failed, Error = "step 3 failed" });
        j.Write(new JournalEntry { Type = JournalEntry.ServicesRead, Time = T0.AddSeconds(134), Down = ["prod-2: backend (restarting)"] });
        return runId;
    }

    private static void Step(RunJournal j, int index, string host, string? operationId, int from, int to, StepResult? result, string message, int? attempt = null)
    {
        var operation = Production.Steps[index - 1].Operation;
        j.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = T0.AddSeconds(from), Step = index, Host = host, Operation = operation, OperationId = operationId, Attempt = attempt });
        if (result is { } r)
        {
            j.Write(new JournalEntry { Type = JournalEntry.StepFinished, Time = T0.AddSeconds(to), Step = index, Host = host, Operation = operation, OperationId = operationId, Attempt = attempt, Result = r, Message = message });
        }
    }

    private string ReportsDir => _inventory.ReportsDir;

    private static XDocument Xml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static List<XElement> Bars(XDocument page) =>
        page.Descendants("rect").Where(r => ((string?)r.Attribute("class") ?? "").Split(' ').Contains("bar")).ToList();

    [Fact]
    public async Task Report_rewrites_the_markdown_and_the_html_from_the_journal_and_prints_both_paths()
    {
        var runId = FailedRun();

        var (exit, output, error) = await CliRun.RunAsync(_time, new FakeFleetReader(), "report", runId, "-i", _inventory.Path);

        Assert.True(exit == 0, output + error);
        var md = Path.Combine(ReportsDir, runId + ".md");
        var html = Path.Combine(ReportsDir, runId + ".html");
        Assert.Contains(md, output, StringComparison.Ordinal);
        Assert.Contains(html, output, StringComparison.Ordinal);
        Assert.Contains("Type 1 (code only)", File.ReadAllText(md), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_with_out_and_json_writes_into_the_directory_and_prints_one_object_with_the_paths()
    {
        var runId = FailedRun();
        var dir = Path.Combine(_dir.Path, "incident");

        var (exit, output, _) = await CliRun.RunAsync(_time, new FakeFleetReader(), "report", runId, "--out", dir, "--json", "-i", _inventory.Path);

        Assert.Equal(0, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal("report", json.GetProperty("type").GetString());
        Assert.Equal(runId, json.GetProperty("run_id").GetString());
        Assert.Equal(Path.Combine(dir, runId + ".md"), json.GetProperty("markdown").GetString());
        Assert.Equal(Path.Combine(dir, runId + ".html"), json.GetProperty("html").GetString());
        Assert.True(File.Exists(json.GetProperty("html").GetString()));
        Assert.False(Directory.Exists(ReportsDir));
    }

    [Fact]
    public async Task Report_of_an_unknown_run_exits_2_naming_teafleet_runs_and_writes_nothing()
    {
        FailedRun();

        var (exit, output, error) = await CliRun.RunAsync(_time, new FakeFleetReader(), "report", "20261201-030000-production-0000", "-i", _inventory.Path);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no run '20261201-030000-production-0000'", output + error, StringComparison.Ordinal);
        Assert.Contains("teafleet runs", output + error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ReportsDir));
    }

    [Fact]
    public void The_html_is_well_formed_and_refers_to_nothing_outside_the_file()
    {
        var html = IncidentReport.RenderHtml(_inventory, new RunStore(_inventory.RunsDir).Get(FailedRun()));

        var page = Xml(html);
        Assert.Equal("html", page.Root!.Name.LocalName);
        Assert.DoesNotContain(page.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object" or "embed" or "image" or "use");
        Assert.DoesNotContain(page.Descendants().Attributes(), a => a.Name.LocalName is "src" or "srcset" or "action" or "style" || a.Name.NamespaceName.Length > 0);
        Assert.All(page.Descendants().Attributes("href"), a => Assert.True(a.Value.StartsWith('#') || a.Value.StartsWith("tel:", StringComparison.Ordinal), a.Value));
        var css = string.Concat(page.Descendants("style").Select(s => s.Value));
        Assert.Contains(".timeline", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", css, StringComparison.Ordinal);
        Assert.DoesNotContain("http", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", css, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_with_markup_is_encoded_and_reads_back_as_written()
    {
        var html = IncidentReport.RenderHtml(_inventory, new RunStore(_inventory.RunsDir).Get(FailedRun()));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &gt; done", html, StringComparison.Ordinal);
        Assert.Contains(Xml(html).Descendants("pre").Select(p => p.Value), v => v == Hostile);
    }

    [Fact]
    public void The_timeline_has_a_lane_per_host_a_bar_per_attempt_and_a_marker_where_the_failure_was_detected()
    {
        var run = new RunStore(_inventory.RunsDir).Get(FailedRun());
        var page = Xml(IncidentReport.RenderHtml(_inventory, run));

        var svg = Assert.Single(page.Descendants("svg"));
        Assert.Equal(["prod-1", "prod-2", "controller"], svg.Descendants("text").Where(t => (string?)t.Attribute("class") == "host").Select(t => t.Value));
        var bars = Bars(page);
        Assert.Equal(4, bars.Count); // step 1, step 2 attempts 1 and 2, step 3
        Assert.Equal(2, bars.Count(b => ((string)b.Attribute("class")!).Contains("r-failed", StringComparison.Ordinal)));
        var failed = Assert.Single(bars, b => ((string)b.Attribute("class")!).Split(' ').Contains("failure"));
        Assert.Contains("r-failed", (string)failed.Attribute("class")!, StringComparison.Ordinal);
        Assert.Contains("Step 3: health.check on controller", failed.Parent!.Element("title")!.Value, StringComparison.Ordinal);
        Assert.True(double.Parse((string)failed.Attribute("width")!, CultureInfo.InvariantCulture) >= TimelineSvg.MinBar);

        var marker = Assert.Single(svg.Descendants("g"), g => (string?)g.Attribute("class") == "failure-marker");
        var line = marker.Element("line")!;
        var barEnd = double.Parse((string)failed.Attribute("x")!, CultureInfo.InvariantCulture) + double.Parse((string)failed.Attribute("width")!, CultureInfo.InvariantCulture);
        Assert.InRange(double.Parse((string)line.Attribute("x1")!, CultureInfo.InvariantCulture), barEnd - TimelineSvg.MinBar - 0.1, barEnd + 0.1);
        Assert.Contains("failure detected 03:02:12", marker.Value, StringComparison.Ordinal);
        Assert.Contains(svg.Descendants("text"), t => t.Value == "2.1");
    }

    [Fact]
    public void Markdown_and_html_both_name_the_failed_step_when_it_was_detected_and_whom_to_call()
    {
        var run = new RunStore(_inventory.RunsDir).Get(FailedRun());
        var md = IncidentReport.Render(_inventory, run);
        var text = string.Concat(Xml(IncidentReport.RenderHtml(_inventory, run)).Root!.Element("body")!.DescendantNodes().OfType<XText>().Select(t => t.Value));

        Assert.Contains($"- Step 3 on controller (health.check) failed; detected 2026-12-01 03:02:12Z: {Hostile}", md, StringComparison.Ordinal);
        Assert.Contains("Step 3 on controller (health.check) failed; detected 2026-12-01 03:02:12 UTC", text, StringComparison.Ordinal);
        // The attempt retried since is not what the run failed on, but it is told.
        Assert.Contains("- Also failed: step 2 (attempt 1) on prod-2 (services.recreate) at 2026-12-01 03:00:40Z: recreate failed at step images: no space left", md, StringComparison.Ordinal);
        Assert.Contains("- primary: On-call operator - +31 6 00000000", md, StringComparison.Ordinal);
        Assert.Contains("On-call operator+31 6 00000000", text, StringComparison.Ordinal);
        Assert.Contains("- Down after the run: prod-2: backend (restarting)", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] All services running and healthy: down after the run: prod-2: backend (restarting)", md, StringComparison.Ordinal);
        Assert.Contains("- Drill: skipped (--skip-drill): INC-7 login broken", md, StringComparison.Ordinal);
        Assert.Contains("| 2 (attempt 1) | prod-2 | services.recreate |", md, StringComparison.Ordinal);
        Assert.Contains("| 2 (attempt 2) | prod-2 | services.recreate |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_succeeded_says_nothing_failed()
    {
        var runId = JournalTestData.WriteRun(_inventory.RunsDir, Production, StepResult.Succeeded, T0, T0.AddMinutes(1));
        var run = new RunStore(_inventory.RunsDir).Get(runId);

        Assert.Contains("- Nothing failed.", IncidentReport.Render(_inventory, run), StringComparison.Ordinal);
        var page = Xml(IncidentReport.RenderHtml(_inventory, run));
        Assert.Contains(page.Descendants("strong"), s => s.Value == "Nothing failed.");
        Assert.DoesNotContain(page.Descendants("g"), g => (string?)g.Attribute("class") == "failure-marker");
        Assert.Equal(3, Bars(page).Count(b => ((string)b.Attribute("class")!).Contains("r-succeeded", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_run_without_steps_a_step_still_open_and_hundreds_of_steps_all_draw()
    {
        // No step at all (the controller died right after run_started).
        var empty = "20261201-030000-staging-0001";
        using (var j = RunJournal.Create(_inventory.RunsDir, empty))
        {
            j.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = T0, Plan = JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"), Who = "t", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
        }

        var page = Xml(IncidentReport.RenderHtml(_inventory, new RunStore(_inventory.RunsDir).Get(empty)));
        Assert.Contains("No step ran", page.Descendants("svg").Single().Value, StringComparison.Ordinal);

        // A step with no end: drawn to the journal's last record, as running; the report says what is open.
        var open = "20261201-030000-staging-0002";
        using (var j = RunJournal.Create(_inventory.RunsDir, open))
        {
            j.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = T0, Plan = JournalTestData.RollbackPlan("staging", Samples.C2, [], "staging-1"), Who = "t", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
            j.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = T0.AddSeconds(1), Step = 1, Host = "staging-1", Operation = "services.recreate", OperationId = $"{open}.1.staging-1" });
            j.Write(new JournalEntry { Type = JournalEntry.Event, Time = T0.AddSeconds(20), Step = 1, Host = "staging-1", Sequence = 3, Phase = StepPhase.Log, Message = "building" });
        }

        var run = new RunStore(_inventory.RunsDir).Get(open);
        var md = IncidentReport.Render(_inventory, run);
        Assert.Contains("- Step 1 on staging-1 (services.recreate) unfinished; detected 2026-12-01 03:00:20Z: the journal has no end for this run", md, StringComparison.Ordinal);
        var bar = Assert.Single(Bars(Xml(IncidentReport.RenderHtml(_inventory, run))));
        Assert.Contains("r-running", (string)bar.Attribute("class")!, StringComparison.Ordinal);

        // 300 steps over two hosts, most of them zero-length: two lanes, 300 bars, none narrower than the minimum.
        var many = "20261201-030000-production-0003";
        var hosts = new[] { "prod-1", "prod-2" };
        var two = JournalTestData.RollbackPlan("production", Samples.C2, [], hosts);
        var plan = two with { Steps = [.. Enumerable.Range(1, 300).Select(i => two.Steps[i % 2] with { Index = i })] };
        using (var j = RunJournal.Create(_inventory.RunsDir, many))
        {
            j.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = T0, Plan = plan, Who = "t", Flags = new RunFlags("inv", true, false, null, null, "rollback") });
            foreach (var s in plan.Steps)
            {
                var at = T0.AddSeconds(s.Index / 10);
                j.Write(new JournalEntry { Type = JournalEntry.StepStarted, Time = at, Step = s.Index, Host = s.Host, Operation = s.Operation, OperationId = $"{many}.{s.Index}.{s.Host}" });
                j.Write(new JournalEntry { Type = JournalEntry.StepFinished, Time = at, Step = s.Index, Host = s.Host, Operation = s.Operation, Result = s.Index == 300 ? StepResult.Failed : StepResult.Succeeded });
            }

            j.Write(new JournalEntry { Type = JournalEntry.RunFinished, Time = T0.AddSeconds(30), Result = StepResult.Failed, Error = "step 300 failed" });
        }

        var big = Xml(IncidentReport.RenderHtml(_inventory, new RunStore(_inventory.RunsDir).Get(many)));
        Assert.Equal(2, big.Descendants("text").Count(t => (string?)t.Attribute("class") == "host"));
        var bars = Bars(big);
        Assert.Equal(300, bars.Count);
        Assert.All(bars, b => Assert.True(double.Parse((string)b.Attribute("width")!, CultureInfo.InvariantCulture) >= TimelineSvg.MinBar));
        Assert.Contains(big.Descendants("text"), t => t.Value == "300");
    }

    [Fact]
    public void What_was_down_after_the_run_is_read_back_from_the_journal_and_a_resume_forgets_it()
    {
        var run = new RunStore(_inventory.RunsDir).Get(FailedRun());
        Assert.Equal(["prod-2: backend (restarting)"], run.Down);

        using (var j = RunJournal.Append(run.Path, run.RunId))
        {
            j.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = T0.AddSeconds(200), Who = "alice" });
        }

        var resumed = new RunStore(_inventory.RunsDir).Get(run.RunId);
        Assert.Null(resumed.Down);
        Assert.Contains("- Down after the run: not read after the run", IncidentReport.Render(_inventory, resumed), StringComparison.Ordinal);
    }

    [Fact]
    public void The_checklist_is_the_runbook_s_twelve_items_and_both_renderers_draw_each_state()
    {
        var run = new RunStore(_inventory.RunsDir).Get(JournalTestData.WriteRun(_inventory.RunsDir, Production, StepResult.Succeeded, T0, T0.AddMinutes(1)));
        var model = IncidentReportModel.From(_inventory, run) with
        {
            Checklist =
            [
                new("Team notified", ChecklistState.Confirmed, "paged by alice"),
                new("Users can login", ChecklistState.Verified, "verified by the smoke test"),
                new("Resource usage normal", ChecklistState.NotDone),
            ],
        };

        Assert.Equal(12, RunbookChecklist.For(run, null).Count);
        var md = MarkdownReport.Render(model);
        Assert.Contains("- [x] Team notified (confirmed: paged by alice)", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Users can login (verified by the smoke test)", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] Resource usage normal", md, StringComparison.Ordinal);
        var items = Xml(HtmlReport.Render(model)).Descendants("ul").Single(u => (string?)u.Attribute("class") == "checklist").Elements("li").ToList();
        Assert.Equal(["confirmed", "verified", "not-done"], items.Select(i => (string)i.Attribute("class")!));
    }

    [Fact]
    public void A_failed_run_ends_with_whom_to_call_after_the_next_move_and_a_succeeded_one_does_not()
    {
        var run = new RunStore(_inventory.RunsDir).Get(FailedRun());
        var failed = new RunOutcome(StepResult.Failed, Production.Steps[2], StepOutcome.Failure(Hostile), "step 3 failed", ExitCodes.OperationFailed);
        var paths = new ReportPaths("/r/x.md", "/r/x.html");

        var text = new PrinterTestConsole(json: false);
        RunPrinter.Finished(text.Output, _inventory, Production, failed, run, paths);
        var next = Array.FindIndex(text.Lines, l => l.StartsWith("Next:", StringComparison.Ordinal));
        Assert.True(next >= 0, string.Join('\n', text.Lines));
        Assert.Equal(["Contacts:", "  primary: On-call operator, +31 6 00000000", "Incident report: /r/x.md", "Incident report (HTML): /r/x.html"], text.Lines[(next + 1)..]);

        var json = new PrinterTestConsole(json: true);
        RunPrinter.Finished(json.Output, _inventory, Production, failed, run, paths);
        var end = Assert.Single(json.JsonLines);
        var contact = Assert.Single(end.GetProperty("contacts").EnumerateArray());
        Assert.Equal(("primary", "On-call operator", "+31 6 00000000"), (contact.GetProperty("role").GetString(), contact.GetProperty("name").GetString(), contact.GetProperty("phone").GetString()));
        Assert.Equal("/r/x.md", end.GetProperty("report").GetString());
        Assert.Equal("/r/x.html", end.GetProperty("report_html").GetString());

        var succeeded = new RunOutcome(StepResult.Succeeded, null, null, null, ExitCodes.Done);
        var ok = new PrinterTestConsole(json: false);
        RunPrinter.Finished(ok.Output, _inventory, Production, succeeded, run, paths);
        Assert.DoesNotContain(ok.Lines, l => l.Contains("On-call operator", StringComparison.Ordinal) || l.StartsWith("Contacts", StringComparison.Ordinal));
        var okJson = new PrinterTestConsole(json: true);
        RunPrinter.Finished(okJson.Output, _inventory, Production, succeeded, run, paths);
        Assert.False(Assert.Single(okJson.JsonLines).TryGetProperty("contacts", out _));
    }

    [Fact]
    public void A_failed_run_with_no_contacts_in_the_inventory_prints_nothing_extra()
    {
        var inventory = InventoryLoader.Load(_dir.File("none.yaml", Samples.Inventory[..Samples.Inventory.IndexOf("contacts:", StringComparison.Ordinal)]));
        var run = new RunStore(_inventory.RunsDir).Get(FailedRun());
        var failed = new RunOutcome(StepResult.Failed, Production.Steps[2], StepOutcome.Failure("x"), "step 3 failed", ExitCodes.OperationFailed);

        var text = new PrinterTestConsole(json: false);
        RunPrinter.Finished(text.Output, inventory, Production, failed, run, null);

        Assert.StartsWith("Next:", text.Lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("## Contacts", IncidentReport.Render(inventory, run), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"contacts\"", IncidentReport.RenderHtml(inventory, run), StringComparison.Ordinal);
    }
}
