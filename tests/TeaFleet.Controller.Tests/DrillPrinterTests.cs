using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>The drill gate's lines: in a plan (open or closed) and before a gated run.</summary>
public sealed class DrillPrinterTests
{
    private static readonly DrillDecision Closed = new(false, null, null, "drill gate is closed: no succeeded staging run", "teafleet rollback staging --to abc");
    private static readonly DrillDecision Drilled = new(true, "20261201-110000-staging-ab12", null, "drill: run 20261201-110000-staging-ab12 succeeded", null);
    private static readonly DrillDecision Skipped = new(true, null, "INC-7", "drill skipped: INC-7", null);

    [Fact]
    public void A_plan_says_whether_the_gate_is_open_and_which_drill_to_run()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        DrillPrinter.PrintForPlan(text.Output, Closed);
        DrillPrinter.PrintForPlan(text.Output, Drilled);
        DrillPrinter.PrintForPlan(json.Output, Closed);

        Assert.Equal(["drill gate is closed: no succeeded staging run Drill: teafleet rollback staging --to abc", "drill: run 20261201-110000-staging-ab12 succeeded"], text.Lines);
        var drill = Assert.Single(json.JsonLines);
        Assert.Equal("drill", drill.GetProperty("type").GetString());
        Assert.False(drill.GetProperty("allowed").GetBoolean());
        Assert.Equal("drill gate is closed: no succeeded staging run", drill.GetProperty("message").GetString());
        Assert.Equal("teafleet rollback staging --to abc", drill.GetProperty("command").GetString());
    }

    [Fact]
    public void A_gated_run_says_which_drill_let_it_through_or_why_it_was_skipped()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        DrillPrinter.PrintPassed(text.Output, Drilled);
        DrillPrinter.PrintPassed(text.Output, Skipped);
        DrillPrinter.PrintPassed(json.Output, Drilled);
        DrillPrinter.PrintPassed(json.Output, Skipped);

        Assert.Equal(["drill: run 20261201-110000-staging-ab12 succeeded", "drill skipped: INC-7"], text.Lines);
        var lines = json.JsonLines;
        Assert.All(lines, l => Assert.Equal("drill", l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.True(l.GetProperty("allowed").GetBoolean()));
        Assert.Equal("20261201-110000-staging-ab12", lines[0].GetProperty("drill_run_id").GetString());
        Assert.Equal("INC-7", lines[1].GetProperty("skip_reason").GetString());
        Assert.Equal("drill skipped: INC-7", lines[1].GetProperty("message").GetString());
    }
}
