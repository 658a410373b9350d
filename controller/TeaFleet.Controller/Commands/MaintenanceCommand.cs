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
        await RequirePageAsync(readers.Create(agents), environment, hosts, cancellationToken).ConfigureAwait(false);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who(verb), output, timeProvider, cancellationToken).ConfigureAwait(false);
        return await new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents))
            .GateAndStartAsync(environment, plan, lease, Who(verb), settings.Yes, skipDrill: false, settings.Reason, verb, hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses, before the lease and before anything changes, hosts that cannot show the page: an agent
    /// without Agent:Maintenance (its message says what to set) or one from before the page.
    /// </summary>
    private static async Task RequirePageAsync(IFleetReader reader, EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts, CancellationToken cancellationToken)
    {
        var not = new List<string>();
        foreach (var host in hosts)
        {
            switch (await reader.GetMaintenanceAsync(host, cancellationToken).ConfigureAwait(false))
            {
                case null:
                    not.Add($"{host.Name}: its agent has no maintenance page (an agent from before it: update teafleet-agent)");
                    break;
                case { Configured: false } status:
                    not.Add($"{host.Name}: {status.Message}");
                    break;
            }
        }

        if (not.Count > 0)
        {
            throw FleetException.BadInput(
                $"not every host of '{environment.Name}' can show the maintenance page: {string.Join("; ", not)}; nothing was changed.",
                "Configure Agent:Maintenance on those hosts and include the nginx snippet of docs/agent.md \"Maintenance page\" in the app's nginx, or leave them out with --hosts.");
        }
    }

    /// <summary>The hosts --hosts names, in its order (each must belong to the environment); none named: every host.</summary>
    private static IReadOnlyList<HostConfig> Select(EnvironmentConfig environment, IReadOnlyList<string> names) =>
        names.Count == 0
            ? environment.Hosts
            : names.Select(name => environment.Hosts.FirstOrDefault(h => h.Name == name)
                ?? throw FleetException.BadInput($"--hosts: '{name}' is not a host of '{environment.Name}'; nothing was changed.",
                    $"Hosts of {environment.Name}: {string.Join(", ", environment.Hosts.Select(h => h.Name))}.")).ToList();
}
