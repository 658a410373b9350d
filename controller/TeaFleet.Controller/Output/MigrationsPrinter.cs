using TeaFleet.Agent.V1;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints the Alembic state of an environment's database host: a few lines, or one <c>migrations</c> object with --json.</summary>
public static class MigrationsPrinter
{
    public static void Print(CommandOutput output, string environmentName, MigrationStatus status, LeftoversResponse? leftovers = null)
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
                leftovers = leftovers is null ? null : new
                {
                    compared = leftovers.Compared,
                    reason = leftovers.Reason,
                    reference_backup_id = leftovers.ReferenceBackupId,
                    reference_taken_at = leftovers.ReferenceTakenAt?.ToDateTimeOffset(),
                    downgrade_operation_id = leftovers.DowngradeOperationId,
                    differences = leftovers.Differences.Select(d => new
                    {
                        kind = LeftoverText.Kind(d.Kind),
                        object_type = d.ObjectType,
                        schema = d.Schema,
                        name = d.Name,
                        detail = d.Detail,
                        droppable = d.Droppable,
                        collides_with = d.CollidesWith,
                    }),
                },
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

        PrintLeftovers(output, environmentName, leftovers);
    }

    private static void PrintLeftovers(CommandOutput output, string environmentName, LeftoversResponse? leftovers)
    {
        if (leftovers is null)
        {
            return;
        }

        if (!leftovers.Compared)
        {
            output.Line($"  leftovers: [yellow]not compared[/]: {CommandOutput.Esc(leftovers.Reason)}");
            return;
        }

        if (leftovers.Differences.Count == 0)
        {
            output.Line($"  leftovers: [green]none[/]: the schema is as {CommandOutput.Esc(LeftoverText.Reference(leftovers))} recorded it");
            return;
        }

        var droppable = leftovers.Differences.Count(d => d.Droppable);
        output.Line($"  leftovers: [yellow]{leftovers.Differences.Count} difference(s)[/] from {CommandOutput.Esc(LeftoverText.Reference(leftovers))}:");
        foreach (var d in leftovers.Differences)
        {
            var collides = d.CollidesWith.Count > 0 ? $" [red](will collide with {CommandOutput.Esc(string.Join(", ", d.CollidesWith))})[/]" : "";
            var person = d.Droppable ? "" : " (for a person)";
            output.Line($"    {LeftoverText.Kind(d.Kind)} {CommandOutput.Esc(LeftoverText.Label(d))}: {CommandOutput.Esc(d.Detail)}{collides}{person}");
        }

        if (droppable > 0)
        {
            output.Line($"  {droppable} can be dropped: see 'teafleet repair leftovers {CommandOutput.Esc(environmentName)} --plan'");
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
