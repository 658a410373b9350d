using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet rollback ENV [--to REF] [--services a,b] [--yes] [--skip-drill --reason TEXT]</c>.</summary>
public sealed class RollbackCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<RollbackSettings>(console)
{
    protected override async Task<int> RunAsync(RollbackSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("rollback"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var reader = readers.Create(agents);
        var planner = new Planner(reader);
        var plan = await planner.PlanRollbackAsync(environment, settings.ToRequest(), timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        if (plan.NothingToDo)
        {
            return ExitCodes.Done;
        }

        return await new RunDriver(inventory, agents, timeProvider, output, reader)
            .GateAndStartAsync(environment, plan, lease, Who("rollback"), settings.Yes, settings.SkipDrill, settings.Reason, "rollback", hint => ReattachHint = hint, cancellationToken, planner)
            .ConfigureAwait(false);
    }
}
