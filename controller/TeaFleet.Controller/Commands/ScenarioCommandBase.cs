using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// The one way a runbook scenario runs ('teafleet scenario NAME ENV', and 'repair migration-failed' as its
/// alias): the name checked before anything is contacted, the environment held, the plan printed, then the
/// drill gate, the confirmation and the run.
/// </summary>
public abstract class ScenarioCommandBase<TSettings>(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<TSettings>(console)
    where TSettings : FleetSettings
{
    protected async Task<int> RunScenarioAsync(TSettings settings, string name, string environmentName, ScenarioRequest request, bool planOnly, bool yes, bool skipDrill, string? reason, string command, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, environmentName);
        Scenarios.Check(name, environment.Name, request);
        using var agents = new AgentPool(inventory, timeProvider);
        // --plan changes nothing and takes no lease; a scenario holds the environment from its plan to its end.
        await using var lease = planOnly ? null : await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who(command), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var reader = readers.Create(agents);
        var planner = new Planner(reader);
        var plan = await planner.PlanScenarioAsync(environment, name, request, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        if (plan.NothingToDo || planOnly)
        {
            return ExitCodes.Done;
        }

        return await new RunDriver(inventory, agents, timeProvider, output, reader)
            .GateAndStartAsync(environment, plan, lease!, Who(command), yes, skipDrill, reason, command, hint => ReattachHint = hint, cancellationToken, planner)
            .ConfigureAwait(false);
    }
}
