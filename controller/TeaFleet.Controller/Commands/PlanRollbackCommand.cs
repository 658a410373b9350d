using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet plan rollback ENV [--to REF] [--services a,b]</c>: prints the steps, changes nothing.</summary>
public sealed class PlanRollbackCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<PlanRollbackSettings>(console)
{
    protected override async Task<int> RunAsync(PlanRollbackSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var planner = new Planner(readers.Create(agents));
        var plan = await planner.PlanRollbackAsync(environment, settings.ToRequest(), timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        LeasePrinter.Holders(output, environment.Name, await LeasesOfAsync(readers.Leases(agents), environment, cancellationToken).ConfigureAwait(false));
        if (!plan.NothingToDo && environment.IsGated)
        {
            var drill = await DrillPreparation.AdviseAsync(
                new DrillGate(timeProvider).Check(inventory, plan, DrillGate.Candidates(inventory, plan), false, null),
                planner, inventory, environment, plan, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            DrillPrinter.PrintForPlan(output, drill);
        }

        return ExitCodes.Done;
    }
}
