using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A deploy of REF: one services.recreate (kind deploy) per host, rolling, each followed by the host's
/// health check, then every health URL. When REF's start-up applies migrations, a full, verified
/// backup comes first (the runbook's deploy.sh takes one). A REF older than the database is refused.
/// </summary>
public sealed class DeployProcedure : CodeSwitchProcedure
{
    public override PlanKind Kind => PlanKind.Deploy;

    public override string Title => "Deploy";

    public override string ReportType(Plan plan) => "deploy";

    public static async Task<Plan> PlanAsync(FleetFacts facts, string reference, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        await facts.CheckServicesAsync(services, cancellationToken).ConfigureAwait(false);
        var resolved = await facts.ResolveEverywhereAsync(reference, cancellationToken).ConfigureAwait(false);
        var current = await facts.CurrentCommitsAsync(cancellationToken).ConfigureAwait(false);
        var migrations = await facts.MigrationsAsync(resolved.Commit, cancellationToken).ConfigureAwait(false);
        if (migrations is { DowngradeSteps: > 0 })
        {
            // Its start-up would find a database newer than its scripts and fail: that is a Type 2 rollback.
            throw FleetException.BadInput(
                $"{PlanText.Short(resolved.Commit)} is older than the database: its migration head is {string.Join(",", migrations.TargetHeads)}, the database is at {string.Join(",", migrations.DatabaseHeads)} ({migrations.DowngradeSteps} migration(s) newer). Deployed as it is, its backend would not start.",
                $"Roll back to it instead, which reverts those migrations first (Type 2): teafleet rollback {environment.Name} --to {reference}");
        }

        await facts.CheckSwitchAsync(resolved.Commit, services, reference, cancellationToken).ConfigureAwait(false);
        var steps = SwitchSteps(environment, PlanKind.Deploy, resolved.Commit, services, migrations, facts.ChangesFor(resolved.Commit));
        var warnings = await LeftoverWarningsAsync(facts, resolved.Commit, services, migrations, cancellationToken).ConfigureAwait(false);
        return new Plan(PlanKind.Deploy, RollbackType.None, environment.Name, resolved.Commit, resolved.Tags, services, current, steps.Steps, Warnings: warnings);
    }

    /// <summary>
    /// When the switch upgrades the database, what a downgrade left behind may make the upgrade fail
    /// ("type already exists"): a warning naming each leftover, "will collide" for those the target's
    /// upgrade scripts name, and the repair to run first. None when the switch applies no migration or
    /// the database host cannot compare (no reference backup, an older agent): nothing is guessed.
    /// </summary>
    internal static async Task<IReadOnlyList<string>?> LeftoverWarningsAsync(FleetFacts facts, string target, IReadOnlyList<string> services, TeaFleet.Agent.V1.MigrationStatus? migrations, CancellationToken cancellationToken)
    {
        if (!AppliesMigrations(services, migrations))
        {
            return null;
        }

        var warning = LeftoverText.Warning(facts.Environment.Name, await facts.LeftoversAsync(target, cancellationToken).ConfigureAwait(false));
        return warning is null ? null : [warning];
    }

    /// <summary>Whether a switch to the target upgrades the database: its head is ahead and the switch restarts the service that runs its migrations.</summary>
    private static bool AppliesMigrations(IReadOnlyList<string> services, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] TeaFleet.Agent.V1.MigrationStatus? migrations) =>
        migrations is { UpgradeSteps: > 0, DatabaseHeads.Count: > 0 } && (services.Count == 0 || services.Contains(migrations.Service, StringComparer.Ordinal));

    /// <summary>
    /// A switch of services to a release, host by host, then every health URL. When the target's start-up
    /// applies migrations (its heads are ahead of the database's and the switch restarts the service that
    /// runs them), a full backup comes first: the migration changes the database, and the backup is what
    /// a failed one is repaired or restored from.
    /// </summary>
    internal static StepList SwitchSteps(EnvironmentConfig environment, PlanKind kind, string target, IReadOnlyList<string> services, TeaFleet.Agent.V1.MigrationStatus? migrations, IReadOnlyDictionary<string, ServiceChanges>? changes = null)
    {
        var steps = new StepList(environment);
        if (AppliesMigrations(services, migrations))
        {
            steps.FullBackup(
                $"the database at {string.Join(",", migrations.DatabaseHeads)} kept before {PlanText.Short(target)}'s start-up applies {migrations.UpgradeSteps} migration(s) to {string.Join(",", migrations.TargetHeads)}",
                "stop before any host switches; free space in the backup directory (teafleet backups ENV --prune) and run again");
        }

        return steps.Switch(kind, target, services, noCache: false, changes).EnvironmentHealth("stop and report; check the services' logs", changes);
    }
}
