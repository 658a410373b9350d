using Spectre.Console;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet confirm RUN_ID [ITEM] [--note TEXT]</c>: a person records in the run's journal that a checklist
/// item only a person can do was done (who, when, the note); the report's checklist then shows it as
/// confirmed. Without ITEM, the run's open items are listed; an item the run does not have is refused
/// (exit 2) and nothing is written. No agent is contacted.
/// </summary>
public sealed class ConfirmCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<ConfirmSettings>(console)
{
    protected override Task<int> RunAsync(ConfirmSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var store = new RunStore(inventory.RunsDir);
        var run = store.Get(settings.RunId);
        var inventoryOption = $"-i {inventory.Path}";
        var items = RunbookChecklist.Confirmable(run.Plan);
        if (items.Count == 0)
        {
            throw FleetException.BadInput($"run {run.RunId} ({run.Plan.What}) has no checklist items to confirm: only runs with an incident report have; nothing was changed.", "List the runs with 'teafleet runs'.");
        }

        if (settings.Item is null)
        {
            ConfirmPrinter.Open(output, inventoryOption, run, items);
            return Task.FromResult(ExitCodes.Done);
        }

        var item = items.FirstOrDefault(i => string.Equals(i.Key, settings.Item.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw FleetException.BadInput(
                $"run {run.RunId} has no checklist item '{settings.Item}'; nothing was changed. Its items: {string.Join(", ", items.Select(i => $"{i.Key} ({i.Item})"))}.",
                RunbookChecklist.ConfirmCommand(inventoryOption, run.RunId, items[0]));
        if (!run.HasEnded)
        {
            throw FleetException.BadInput(
                $"run {run.RunId} has not ended (it is running, or it stopped without an end); nothing was changed.",
                $"Let it end, or continue it first: teafleet {inventoryOption} resume {run.RunId}");
        }

        using (var journal = RunJournal.Append(run.Path, run.RunId))
        {
            journal.Write(new JournalEntry
            {
                Type = JournalEntry.Confirmed,
                Time = timeProvider.GetUtcNow(),
                Item = item.Key,
                Who = Who("confirm"),
                Message = string.IsNullOrWhiteSpace(settings.Note) ? null : settings.Note.Trim(),
            });
        }

        ConfirmPrinter.Confirmed(output, inventoryOption, store.Get(run.RunId), item);
        return Task.FromResult(ExitCodes.Done);
    }
}
