using Spectre.Console;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet runs [--limit N]</c>: the runs in the journal directory, newest first.</summary>
public sealed class RunsCommand(IAnsiConsole console) : FleetCommand<RunsSettings>(console)
{
    protected override Task<int> RunAsync(RunsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var runs = new RunStore(inventory.RunsDir).List().Take(settings.Limit).ToList();
        RunsPrinter.Print(output, inventory.RunsDir, runs);
        return Task.FromResult(ExitCodes.Done);
    }
}
