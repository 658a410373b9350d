using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet maintenance ENV on|off [--hosts LIST]</c>: the app's maintenance page (the runbook's Type 2
/// option A) up or down on the hosts, as a run: journaled, reported, resumable, like 'block' and 'allow'.
/// </summary>
public sealed class MaintenanceCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<MaintenanceSettings>(console)
{
    protected override async Task<int> RunAsync(MaintenanceSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        var hosts = Select(environment, settings.HostNames);
        var verb = $"maintenance {settings.State}";
        var plan = settings.On
            ? MaintenanceOnProcedure.Build(environment, hosts, settings.Reason?.Trim() ?? $"put up with 'teafleet maintenance {environment.Name} on' by {System.Environment.UserName}")
            : MaintenanceOffProcedure.Build(environment, hosts);
        PlanPrinter.Print(output, plan);
        if (settings.PlanOnly)
        {
            return ExitCodes.Done;
        }

        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who(verb), output, timeProvider, cancellationToken).ConfigureAwait(false);
        return await new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents))
            .GateAndStartAsync(environment, plan, lease, Who(verb), settings.Yes, skipDrill: false, settings.Reason, verb, hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The hosts --hosts names, in its order (each must belong to the environment); none named: every host.</summary>
    private static IReadOnlyList<HostConfig> Select(EnvironmentConfig environment, IReadOnlyList<string> names) =>
        names.Count == 0
            ? environment.Hosts
            : names.Select(name => environment.Hosts.FirstOrDefault(h => h.Name == name)
                ?? throw FleetException.BadInput($"--hosts: '{name}' is not a host of '{environment.Name}'; nothing was changed.",
                    $"Hosts of {environment.Name}: {string.Join(", ", environment.Hosts.Select(h => h.Name))}.")).ToList();
}
