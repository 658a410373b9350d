using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet backup ENV [--quick|--full|--forensic]</c>: a database backup on the environment's database host, as a run.</summary>
public sealed class BackupCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<BackupSettings>(console)
{
    protected override async Task<int> RunAsync(BackupSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who("backup"), output, timeProvider, cancellationToken).ConfigureAwait(false);
        var plan = Planner.PlanBackup(environment, settings.Kind);
        PlanPrinter.Print(output, plan);
        var driver = new RunDriver(inventory, agents, timeProvider, output);
        var flags = new RunFlags(inventory.Path, true, false, settings.Reason, null, "backup");
        return await driver.StartAsync(plan, lease, Who("backup"), flags, hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }
}
