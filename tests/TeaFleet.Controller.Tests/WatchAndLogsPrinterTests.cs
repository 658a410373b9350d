using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>What <c>watch</c> and <c>logs</c> print (they need an agent end to end, so their printers are checked directly).</summary>
public sealed class WatchAndLogsPrinterTests
{
    private static OperationEvent Event(OperationPhase phase, string step, string message, bool final = false)
    {
        var e = new OperationEvent
        {
            OperationId = "run-1.2.prod-1",
            Sequence = 7,
            Time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 14, 5, 9, TimeSpan.Zero)),
            Step = step,
            Phase = phase,
            Percent = -1,
            Message = message,
            Final = final,
        };
        if (final)
        {
            e.Data["backup_id"] = "b-20261201";
        }

        return e;
    }

    [Fact]
    public void Watch_prints_each_event_as_a_plain_line()
    {
        var console = new PrinterTestConsole(json: false);

        WatchPrinter.Event(console.Output, "prod-1", Event(OperationPhase.Progress, "build backend", "step 3/9 [x]"));
        WatchPrinter.Event(console.Output, "prod-1", Event(OperationPhase.Started, "", "recreate"));

        var time = new DateTimeOffset(2026, 12, 1, 14, 5, 9, TimeSpan.Zero).ToString("HH:mm:ss", System.Globalization.CultureInfo.CurrentCulture);
        Assert.Equal([$"{time} #7 progress build backend: step 3/9 [x]", $"{time} #7 started recreate"], console.Lines);
    }

    [Fact]
    public void Watch_prints_each_event_as_a_json_object_field_by_field()
    {
        var console = new PrinterTestConsole(json: true);

        WatchPrinter.Event(console.Output, "prod-1", Event(OperationPhase.Progress, "build backend", "pulling"));
        WatchPrinter.Event(console.Output, "prod-1", Event(OperationPhase.Succeeded, "", "done", final: true));
        WatchPrinter.Reattaching(console.Output, "stream broke; re-attaching");
        WatchPrinter.Finished(console.Output, "run-1.2.prod-1", Event(OperationPhase.Succeeded, "", "done", final: true), TimeSpan.FromSeconds(2.5));

        var lines = console.JsonLines;
        Assert.Equal(2, lines.Count);
        var e = lines[0];
        Assert.Equal("event", e.GetProperty("type").GetString());
        Assert.Equal("prod-1", e.GetProperty("host").GetString());
        Assert.Equal("run-1.2.prod-1", e.GetProperty("operation_id").GetString());
        Assert.Equal(7, e.GetProperty("sequence").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 5, 9, TimeSpan.Zero), e.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("build backend", e.GetProperty("step").GetString());
        Assert.Equal("progress", e.GetProperty("phase").GetString());
        Assert.False(e.TryGetProperty("percent", out var percent) && percent.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal("pulling", e.GetProperty("message").GetString());
        Assert.False(e.GetProperty("final").GetBoolean());
        Assert.True(lines[1].GetProperty("final").GetBoolean());
        Assert.Equal("succeeded", lines[1].GetProperty("phase").GetString());
        Assert.Equal("b-20261201", lines[1].GetProperty("data").GetProperty("backup_id").GetString());
    }

    [Fact]
    public void Watch_says_when_it_reattaches_and_how_the_operation_ended()
    {
        var console = new PrinterTestConsole(json: false);

        WatchPrinter.Reattaching(console.Output, "stream broke; re-attaching [1/5]");
        WatchPrinter.Finished(console.Output, "run-1.2.prod-1", Event(OperationPhase.Succeeded, "", "done", final: true), TimeSpan.FromSeconds(2.54));
        WatchPrinter.Finished(console.Output, "run-1.3.prod-1", Event(OperationPhase.Failed, "", "boom"), TimeSpan.FromSeconds(1));

        Assert.Equal(
            [
                "stream broke; re-attaching [1/5]",
                $"run-1.2.prod-1 succeeded ({2.54:0.0} s watched) backup_id=b-20261201",
                $"run-1.3.prod-1 failed ({1.0:0.0} s watched)",
            ],
            console.Lines);
    }

    [Fact]
    public void Logs_prints_lines_as_they_are_prefixed_with_the_host_when_there_are_several()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);
        var line = new ServiceLogLine { Service = "backend", Stream = "stderr", Line = "GET /health [200]" };

        LogsPrinter.Line(text.Output, "prod-1", line, prefix: false);
        LogsPrinter.Line(text.Output, "prod-2", line, prefix: true);
        LogsPrinter.Line(json.Output, "prod-2", line, prefix: true);

        Assert.Equal(["GET /health [200]", "prod-2 | GET /health [200]"], text.Lines);
        var log = Assert.Single(json.JsonLines);
        Assert.Equal("log", log.GetProperty("type").GetString());
        Assert.Equal("prod-2", log.GetProperty("host").GetString());
        Assert.Equal("backend", log.GetProperty("service").GetString());
        Assert.Equal("stderr", log.GetProperty("stream").GetString());
        Assert.Equal("GET /health [200]", log.GetProperty("line").GetString());
    }
}
