using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet migrations ENV [--target REF]</c>: the Alembic state on the environment's database
/// host (the database's revision, the live code's heads, pending steps to a target). Reads only.
/// </summary>
public sealed class MigrationsCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<MigrationsSettings>(console)
{
    protected override async Task<int> RunAsync(MigrationsSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var environment = Environment(inventory, settings.Environment);
        using var agents = new AgentPool(inventory, timeProvider);
        var status = await new AgentFleetReader(agents).GetMigrationStatusAsync(environment.DatabaseHost, settings.Target, cancellationToken).ConfigureAwait(false)
            ?? throw FleetException.BadInput($"{environment.DatabaseHost.Name} runs no migrations (Agent:Migrations is not configured there).",
                "Configure Agent:Migrations on the environment's database host (docs/agent.md).");
        var leftovers = await new AgentFleetReader(agents).GetLeftoversAsync(environment.DatabaseHost, settings.Target, cancellationToken).ConfigureAwait(false);
        MigrationsPrinter.Print(output, environment.Name, status, leftovers);
        return ExitCodes.Done;
    }
}
