using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Output;

/// <summary>What <c>teafleet report</c> prints: the two files it wrote, or one <c>report</c> object with --json.</summary>
public static class ReportPrinter
{
    public static void Written(CommandOutput output, FleetInventory inventory, RunRecord run, ReportPaths paths)
    {
        if (output.IsJson)
        {
            output.Json(new { type = "report", run_id = run.RunId, result = run.Result.Word(), markdown = paths.Markdown, html = paths.Html, open_confirmations = RunPrinter.OpenConfirmations(inventory, run) });
            return;
        }

        output.Line($"Incident report of run [bold]{CommandOutput.Esc(run.RunId)}[/] ({CommandOutput.Esc(run.Result.Word())}):");
        output.Line($"  {CommandOutput.Esc(paths.Markdown)}");
        output.Line($"  {CommandOutput.Esc(paths.Html)}");
        RunPrinter.PrintOpenConfirmations(output, inventory, run);
    }
}
