using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Output;

/// <summary>What <c>teafleet confirm</c> prints: the run's items (open ones with their command), or the item just confirmed and what is still open.</summary>
public static class ConfirmPrinter
{
    public static void Open(CommandOutput output, string inventoryOption, RunRecord run, IReadOnlyList<ConfirmableItem> items)
    {
        if (output.IsJson)
        {
            output.Json(new
            {
                type = "confirmations",
                run_id = run.RunId,
                items = items.Select(i => Item(inventoryOption, run, i)),
            });
            return;
        }

        output.Line($"Checklist items of run [bold]{CommandOutput.Esc(run.RunId)}[/] a person confirms:");
        foreach (var item in items)
        {
            var done = run.Confirmations.LastOrDefault(c => c.Key == item.Key);
            output.Line(done is null
                ? $"  [yellow]open[/]       {CommandOutput.Esc(item.Item)}: {CommandOutput.Esc(RunbookChecklist.ConfirmCommand(inventoryOption, run.RunId, item))}"
                : $"  [green]confirmed[/]  {CommandOutput.Esc(item.Item)} by {CommandOutput.Esc(done.Who)} at {done.Time.UtcDateTime:yyyy-MM-dd HH:mm}Z{(done.Note is null ? "" : ": " + CommandOutput.Esc(done.Note))}");
        }
    }

    public static void Confirmed(CommandOutput output, string inventoryOption, RunRecord run, ConfirmableItem item)
    {
        var open = RunbookChecklist.Open(run);
        if (output.IsJson)
        {
            var done = run.Confirmations.Last(c => c.Key == item.Key);
            output.Json(new
            {
                type = "confirmed",
                run_id = run.RunId,
                item = item.Key,
                text = item.Item,
                who = done.Who,
                time = done.Time,
                note = done.Note,
                open = open.Select(i => Item(inventoryOption, run, i)),
            });
            return;
        }

        output.Line($"[green]Confirmed[/] \"{CommandOutput.Esc(item.Item)}\" for run {CommandOutput.Esc(run.RunId)} (recorded in {CommandOutput.Esc(run.Path)}; 'teafleet report {CommandOutput.Esc(run.RunId)}' writes it into the report).");
        output.Line(open.Count == 0 ? "Every item of the run is confirmed." : $"Still open: {CommandOutput.Esc(string.Join(", ", open.Select(i => i.Key)))}.");
    }

    private static object Item(string inventoryOption, RunRecord run, ConfirmableItem item)
    {
        var done = run.Confirmations.LastOrDefault(c => c.Key == item.Key);
        return new
        {
            item = item.Key,
            text = item.Item,
            confirmed = done is not null,
            who = done?.Who,
            time = done?.Time,
            note = done?.Note,
            command = done is null ? RunbookChecklist.ConfirmCommand(inventoryOption, run.RunId, item) : null,
        };
    }
}
