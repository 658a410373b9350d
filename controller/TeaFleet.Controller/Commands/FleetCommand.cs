using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// The shape every command shares: load the inventory, run, and turn errors into a message, a hint and
/// the documented exit code. Ctrl+C stops following but never cancels an agent's operation.
/// </summary>
public abstract class FleetCommand<TSettings>(IAnsiConsole console) : AsyncCommand<TSettings>
    where TSettings : FleetSettings
{
    /// <summary>Set by a command while it follows an operation, so Ctrl+C can say how to re-attach.</summary>
    protected string? ReattachHint { get; set; }

    /// <summary>
    /// Nothing is ignored: words after "--" (which Spectre keeps aside instead of parsing) are refused
    /// like an unknown option, before anything is read.
    /// </summary>
    public sealed override ValidationResult Validate(CommandContext context, TSettings settings)
    {
        var ignored = context.Remaining.Raw.FirstOrDefault() ?? context.Remaining.Parsed.FirstOrDefault()?.Key;
        return ignored is null
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{ignored}' after '--' would be ignored: {context.Name} takes nothing after '--'.");
    }

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var output = new CommandOutput(console, settings.Json);
        try
        {
            return await RunAsync(settings, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error("cancelled: stopped following. Operations already started keep running on the agents.", ReattachHint, ExitCodes.Cancelled);
            return ExitCodes.Cancelled;
        }
        catch (InventoryException e)
        {
            output.Error(e.Message, null, ExitCodes.BadInput);
            return ExitCodes.BadInput;
        }
        catch (CertificateSetupException e)
        {
            output.Error(e.Message, null, ExitCodes.BadInput);
            return ExitCodes.BadInput;
        }
        catch (AgentUnreachableException e)
        {
            output.Error(e.Message, e.Hint, e.ExitCode);
            return e.ExitCode;
        }
        catch (FleetException e)
        {
            output.Error(e.Message, e.Hint, e.ExitCode);
            return e.ExitCode;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CommandOutput output, CancellationToken cancellationToken);

    protected static FleetInventory LoadInventory(FleetSettings settings) => InventoryLoader.Load(InventoryLoader.ResolvePath(settings.Inventory));

    protected static EnvironmentConfig Environment(FleetInventory inventory, string name) =>
        inventory.FindEnvironment(name)
            ?? throw FleetException.BadInput($"unknown environment '{name}'. Known environments: {inventory.EnvironmentNames}.", $"Environments are defined under 'environments:' in {inventory.Path}.");

    protected static HostConfig Host(FleetInventory inventory, string name) =>
        inventory.FindHost(name)
            ?? throw FleetException.BadInput(
                $"unknown host '{name}'. Known hosts: {string.Join(", ", inventory.Environments.SelectMany(e => e.Hosts).Select(h => h.Name))}.",
                $"Hosts are defined under 'environments: ... hosts:' in {inventory.Path}.");

    /// <summary>
    /// Holds the environment for a run before anything else touches a host: the lease on every host, in
    /// inventory order, or none (exit 5 naming the holder). Released when disposed.
    /// </summary>
    protected static async Task<EnvironmentLease> HoldAsync(ILeaseCalls leases, FleetInventory inventory, EnvironmentConfig environment, string runId, string who, CommandOutput output, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var lease = await EnvironmentLease.AcquireAsync(leases, environment, runId, who, inventory.Lease, timeProvider, cancellationToken).ConfigureAwait(false);
        LeasePrinter.Acquired(output, lease);
        return lease;
    }

    /// <summary>The lease each host of the environment reports (read only; a host that cannot say is left out).</summary>
    protected static async Task<IReadOnlyList<(string Host, TeaFleet.Agent.V1.Lease Lease)>> LeasesOfAsync(ILeaseCalls calls, EnvironmentConfig environment, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(environment.Hosts.Select(async h =>
        {
            try
            {
                return (h.Name, (TeaFleet.Agent.V1.Lease?)await calls.GetAsync(h, cancellationToken).ConfigureAwait(false));
            }
            catch (FleetException)
            {
                return (h.Name, null);
            }
        })).ConfigureAwait(false);
        return found.Where(f => f.Item2 is not null).Select(f => (f.Name, f.Item2!)).ToList();
    }

    protected static string Who(string verb) => $"{System.Environment.UserName}@{System.Environment.MachineName} via teafleet {verb}";
}
