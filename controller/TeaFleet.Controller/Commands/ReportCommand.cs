using Spectre.Console;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet report RUN_ID [--out DIR]</c>: (re)writes a run's incident report, Markdown and HTML, from its
/// journal alone (no agent is asked anything), and prints both paths. An unknown run: exit 2, nothing written.
/// </summary>
public sealed class ReportCommand(IAnsiConsole console) : FleetCommand<ReportSettings>(console)
{
    protected override Task<int> RunAsync(ReportSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var run = new RunStore(inventory.RunsDir).Get(settings.RunId);
        var paths = IncidentReport.Write(inventory, run, directory: settings.Out);
        ReportPrinter.Written(output, inventory, run, paths);
        return Task.FromResult(ExitCodes.Done);
    }
}
