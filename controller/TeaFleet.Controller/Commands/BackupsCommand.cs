using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet backups ENV [--verify ID | --prune [--dry-run]]</c>: the backup catalogue of the
/// environment's database host, newest first; or one verification; or a retention prune.
/// </summary>
public sealed class BackupsCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<BackupsSettings>(console)
{
    protected override async Task<int> RunAsync(BackupsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var host = environment.DatabaseHost;
        var agent = agents.Get(host);
        if (settings.Verify is not null || settings.Prune)
        {
            return await VerifyOrPruneAsync(inventory, environment, agents, settings, output, cancellationToken).ConfigureAwait(false);
        }

        var response = await agent.CallAsync(o => agent.Database.ListBackupsAsync(new ListBackupsRequest(), o), cancellationToken).ConfigureAwait(false);
        BackupsPrinter.Print(output, host.Name, environment.Name, response);
        return ExitCodes.Done;
    }

    /// <summary>A verification or a prune is a run like a backup: journaled (what was deleted, by whom, why), with live progress.</summary>
    private async Task<int> VerifyOrPruneAsync(FleetInventory inventory, EnvironmentConfig environment, AgentPool agents, BackupsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var command = settings.Prune ? "prune" : "verify";
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who(command), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = settings.Prune ? Planner.PlanPrune(environment, settings.DryRun) : Planner.PlanVerify(environment, settings.Verify!);
        PlanPrinter.Print(output, plan);
        var driver = new RunDriver(inventory, agents, timeProvider, output);
        return await driver.StartAsync(plan, lease, Who(command), new RunFlags(inventory.Path, true, false, settings.Reason, null, command), hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }
}
