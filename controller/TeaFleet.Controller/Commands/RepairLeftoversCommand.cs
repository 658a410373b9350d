using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet repair leftovers ENV [--plan]</c>: drops, after a backup, what a downgrade left behind in
/// the schema that nothing depends on, and lists the rest for a person.
/// </summary>
public sealed class RepairLeftoversCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<RepairLeftoversSettings>(console)
{
    protected override async Task<int> RunAsync(RepairLeftoversSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        // --plan changes nothing and takes no lease; a repair holds the environment from its plan to its end.
        await using var lease = settings.PlanOnly ? null : await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("repair"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = await new Planner(readers.Create(agents)).PlanRepairLeftoversAsync(environment, cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        if (plan.NothingToDo || settings.PlanOnly)
        {
            return ExitCodes.Done;
        }

        return await new RunDriver(inventory, agents, timeProvider, output)
            .GateAndStartAsync(environment, plan, lease!, Who("repair"), settings.Yes, skipDrill: false, settings.Reason, "repair leftovers", hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }
}
