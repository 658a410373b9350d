using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;
using TeaFleet.Shared;

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
        if (output.IsJson)
        {
            output.Json(new
            {
                type = "migrations",
                host = status.Host,
                database_heads = status.DatabaseHeads,
                code_commit = status.CodeCommit,
                code_heads = status.CodeHeads,
                state = State(status.State),
                detail = status.Detail,
                last_upgrade_failed = status.LastUpgradeFailed,
                last_upgrade_operation_id = status.LastUpgradeOperationId,
                last_upgrade_message = status.LastUpgradeMessage,
                target_commit = status.TargetCommit,
                target_heads = status.TargetHeads,
                downgrade_steps = status.DowngradeSteps,
                downgrade_revisions = status.DowngradeRevisions,
                upgrade_steps = status.UpgradeSteps,
                image = status.Image,
                image_present = status.ImagePresent,
            });
            return ExitCodes.Done;
        }

        var color = status.State == MigrationState.UpToDate ? "green" : "yellow";
        output.Line($"[bold]{CommandOutput.Esc(status.Host)}[/] database at [bold]{CommandOutput.Esc(Heads(status.DatabaseHeads))}[/]; live code {GitRefs.Short(status.CodeCommit)} has head {CommandOutput.Esc(Heads(status.CodeHeads))}: [{color}]{State(status.State)}[/]");
        output.Line($"  {CommandOutput.Esc(status.Detail)}");
        output.Line($"  Alembic runs in {CommandOutput.Esc(status.Image)}{(status.ImagePresent ? "" : " [red](not on the host: build it first)[/]")}");
        if (status.LastUpgradeFailed)
        {
            output.Line($"  [red]the last upgrade failed[/] ({CommandOutput.Esc(status.LastUpgradeOperationId)}): {CommandOutput.Esc(status.LastUpgradeMessage)} — see 'teafleet repair migration-failed {CommandOutput.Esc(environment.Name)} --plan'");
        }
        else if (status.State is MigrationState.Behind or MigrationState.UnknownRevision)
        {
            output.Line($"  a half-applied migration looks like this: see 'teafleet repair migration-failed {CommandOutput.Esc(environment.Name)} --plan'");
        }

        if (status.TargetCommit.Length > 0)
        {
            var what = status.DowngradeSteps > 0 ? $"downgrade {status.DowngradeSteps} ({string.Join(", ", status.DowngradeRevisions)})"
                : status.UpgradeSteps > 0 ? $"upgrade {status.UpgradeSteps}"
                : status.DowngradeSteps == 0 ? "nothing (same head)"
                : "no path by migrations (restore a backup: Type 3)";
            output.Line($"  target {GitRefs.Short(status.TargetCommit)} has head {CommandOutput.Esc(Heads(status.TargetHeads))}: {CommandOutput.Esc(what)}");
        }

        return ExitCodes.Done;
    }

    private static string Heads(IEnumerable<string> heads) => heads.Any() ? string.Join(", ", heads) : "none";

    private static string State(MigrationState state) => state switch
    {
        MigrationState.UpToDate => "up to date",
        MigrationState.Behind => "behind the code",
        MigrationState.UnknownRevision => "unknown revision",
        MigrationState.NotMigrated => "not migrated",
        MigrationState.SeveralHeads => "several heads",
        _ => "unknown",
    };
}
