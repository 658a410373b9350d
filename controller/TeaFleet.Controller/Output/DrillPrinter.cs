using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Output;

/// <summary>Prints the drill gate's decision: in a plan (open or closed, with the drill to run) and before a gated run.</summary>
public static class DrillPrinter
{
    /// <summary>What <c>plan rollback</c> says about the gate of a gated environment; changes nothing.</summary>
    public static void PrintForPlan(CommandOutput output, DrillDecision drill)
    {
        if (output.IsJson)
        {
            output.Json(new { type = "drill", allowed = drill.Allowed, drill_run_id = drill.DrillRunId, message = drill.Message, command = drill.Command, prepare = drill.Prepare });
        }
        else
        {
            output.Line(drill.Allowed ? $"[green]{CommandOutput.Esc(drill.Message)}[/]" : $"[yellow]{CommandOutput.Esc(drill.Message)}[/] Drill: {CommandOutput.Esc(drill.Advice)}");
        }
    }

    /// <summary>Why a run on a gated environment may go ahead: the drill run, or the reason it was skipped.</summary>
    public static void PrintPassed(CommandOutput output, DrillDecision drill)
    {
        output.Line(drill.DrillRunId is not null ? $"[green]{CommandOutput.Esc(drill.Message)}[/]" : $"[yellow]{CommandOutput.Esc(drill.Message)}[/]");
        output.Json(new { type = "drill", allowed = true, drill_run_id = drill.DrillRunId, skip_reason = drill.SkipReason, message = drill.Message });
    }
}
