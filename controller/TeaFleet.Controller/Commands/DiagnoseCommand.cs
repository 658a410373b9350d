using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet diagnose ENV</c>: reads the environment's facts (services, health URLs, log errors, migration
/// state, leftovers, failed operations, queue) and answers with the runbook's decision matrix. Reads only:
/// no lease, no change. Exit 0 nothing wrong, 1 an issue found, 3 a host unreachable (what was read is printed).
/// </summary>
public sealed class DiagnoseCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<DiagnoseSettings>(console)
{
    protected override async Task<int> RunAsync(DiagnoseSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var facts = await DiagnosisReader.ReadAsync(readers.Create(agents), environment, timeProvider, TimeSpan.FromSeconds(settings.QueueWait), cancellationToken).ConfigureAwait(false);
        var diagnosis = Diagnoser.Decide(facts);
        DiagnosisPrinter.Print(output, environment.Name, diagnosis);
        return diagnosis.ExitCode;
    }
}
