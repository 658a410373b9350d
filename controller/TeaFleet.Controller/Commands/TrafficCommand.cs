using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet block ENV</c> and <c>teafleet allow ENV</c>: the runbook's <c>ufw deny/allow 80, 443</c> as a
/// run on every host of the environment (or --hosts): journaled, reported, resumable.
/// </summary>
public abstract class TrafficCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<TrafficSettings>(console)
{
    protected abstract string Verb { get; }

    protected abstract Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts);

    protected override async Task<int> RunAsync(TrafficSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        var hosts = Select(environment, settings.HostNames);
        var plan = Build(environment, hosts);
        PlanPrinter.Print(output, plan);
        if (settings.PlanOnly)
        {
            return ExitCodes.Done;
        }

        using var agents = new AgentPool(inventory, timeProvider);
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, RunStore.NewRunId(environment.Name, timeProvider), Who(Verb), output, timeProvider, cancellationToken).ConfigureAwait(false);
        return await new RunDriver(inventory, agents, timeProvider, output, readers.Create(agents))
            .GateAndStartAsync(environment, plan, lease, Who(Verb), settings.Yes, skipDrill: false, settings.Reason, Verb, hint => ReattachHint = hint, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The hosts --hosts names, in its order (each must belong to the environment); none named: every host.</summary>
    private static IReadOnlyList<HostConfig> Select(EnvironmentConfig environment, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return environment.Hosts;
        }

        return names.Select(name => environment.Hosts.FirstOrDefault(h => h.Name == name)
            ?? throw FleetException.BadInput($"--hosts: '{name}' is not a host of '{environment.Name}'; nothing was changed.",
                $"Hosts of {environment.Name}: {string.Join(", ", environment.Hosts.Select(h => h.Name))}.")).ToList();
    }
}
