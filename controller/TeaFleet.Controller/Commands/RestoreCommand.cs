using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet restore ENV BACKUP_ID</c>: the agent verifies the backup, takes and verifies a safety
/// backup, restores, checks. Production needs a restore drilled on staging and a confirmation.
/// </summary>
public sealed class RestoreCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<RestoreSettings>(console)
{
    protected override async Task<int> RunAsync(RestoreSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("restore"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = await new Planner(readers.Create(agents)).PlanRestoreAsync(environment, settings.BackupId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        PlanPrinter.Print(output, plan);
        return await new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents))
            .GateAndStartAsync(environment, plan, lease, Who("restore"), settings.Yes, settings.SkipDrill, settings.Reason, "restore", hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }
}
