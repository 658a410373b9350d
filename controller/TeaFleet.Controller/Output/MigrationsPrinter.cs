using TeaFleet.Agent.V1;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints the Alembic state of an environment's database host: a few lines, or one <c>migrations</c> object with --json.</summary>
public static class MigrationsPrinter
{
    public static void Print(CommandOutput output, string environmentName, MigrationStatus status)
    {
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
                last_downgrade_failed = status.LastDowngradeFailed,
                last_downgrade_operation_id = status.LastDowngradeOperationId,
                last_downgrade_message = status.LastDowngradeMessage,
                last_downgrade_offline = status.LastDowngradeOffline,
                last_downgrade_at = status.LastDowngradeAt?.ToDateTimeOffset(),
            });
            return;
        }

        var color = status.State == MigrationState.UpToDate ? "green" : "yellow";
        output.Line($"[bold]{CommandOutput.Esc(status.Host)}[/] database at [bold]{CommandOutput.Esc(Heads(status.DatabaseHeads))}[/]; live code {GitRefs.Short(status.CodeCommit)} has head {CommandOutput.Esc(Heads(status.CodeHeads))}: [{color}]{State(status.State)}[/]");
        output.Line($"  {CommandOutput.Esc(status.Detail)}");
        output.Line($"  Alembic runs in {CommandOutput.Esc(status.Image)}{(status.ImagePresent ? "" : " [red](not on the host: build it first)[/]")}");
        if (status.LastUpgradeFailed)
        {
            output.Line($"  [red]the last upgrade failed[/] ({CommandOutput.Esc(status.LastUpgradeOperationId)}): {CommandOutput.Esc(status.LastUpgradeMessage)} — see 'teafleet repair migration-failed {CommandOutput.Esc(environmentName)} --plan'");
        }
        else if (status.State is MigrationState.Behind or MigrationState.UnknownRevision)
        {
            output.Line($"  a half-applied migration looks like this: see 'teafleet repair migration-failed {CommandOutput.Esc(environmentName)} --plan'");
        }

        if (status.LastDowngradeFailed)
        {
            var when = status.LastDowngradeAt is { } at ? $" at {PlanText.Time(at.ToDateTimeOffset())}" : "";
            output.Line($"  [red]the last downgrade failed[/]{(status.LastDowngradeOffline ? " (rendered offline as a pre-flight: nothing ran against the database)" : "")}{when} ({CommandOutput.Esc(status.LastDowngradeOperationId)}): {CommandOutput.Esc(status.LastDowngradeMessage)}");
        }

        if (status.TargetCommit.Length > 0)
        {
            var what = status.DowngradeSteps > 0 ? $"downgrade {status.DowngradeSteps} ({string.Join(", ", status.DowngradeRevisions)})"
                : status.UpgradeSteps > 0 ? $"upgrade {status.UpgradeSteps}"
                : status.DowngradeSteps == 0 ? "nothing (same head)"
                : "no path by migrations (restore a backup: Type 3)";
            output.Line($"  target {GitRefs.Short(status.TargetCommit)} has head {CommandOutput.Esc(Heads(status.TargetHeads))}: {CommandOutput.Esc(what)}");
        }
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
