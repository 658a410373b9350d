using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A deploy of REF: one services.recreate (kind deploy) per host, rolling, each followed by the host's
/// health check, then every health URL. When the deploy applies migrations, a full, verified backup comes
/// first (the runbook's deploy.sh takes one); with Agent:Migrations:RunOnDeploy the upgrade is a step of
/// its own, with REF's scripts, before any service switches, so a migration that fails leaves the previous
/// release serving untouched. A REF older than the database is refused. Its way back, when a switch or a
/// health check fails: every host the deploy reached goes back to the code it ran, but only once the
/// database is found still at its pre-deploy head and schema (a start-up migration that failed changed
/// nothing); a database that moved keeps the new code, and the next move says so (DeployWayBack).
/// </summary>
public sealed class DeployProcedure : CodeSwitchProcedure
{
    public override PlanKind Kind => PlanKind.Deploy;

    public override string Title => "Deploy";

    public override string ReportType(Plan plan) => "deploy";

    public override string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, Engine.StepRecord> steps, string runId) =>
        failed is null ? base.NextMove(inventoryOption, plan, failed, steps, runId) : DeployWayBack.NextMove(inventoryOption, plan, failed, steps);

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
        var applies = AppliesMigrations(services, migrations);
        var upgradeFirst = applies && migrations!.RunOnDeploy;
        var steps = SwitchSteps(environment, PlanKind.Deploy, resolved.Commit, services, migrations, facts.ChangesFor(resolved.Commit), upgradeFirst);
        var note = DeployWayBack.Add(steps, environment, resolved.Commit, services, current, applies ? migrations : null, upgradeFirst,
            applies ? await facts.LeftoversAsync(resolved.Commit, cancellationToken).ConfigureAwait(false) : null);
        var warnings = await LeftoverWarningsAsync(facts, resolved.Commit, services, migrations, cancellationToken).ConfigureAwait(false);
        return new Plan(PlanKind.Deploy, RollbackType.None, environment.Name, resolved.Commit, resolved.Tags, services, current, steps.Steps, note, Warnings: warnings);
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
    internal static bool AppliesMigrations(IReadOnlyList<string> services, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] TeaFleet.Agent.V1.MigrationStatus? migrations) =>
        migrations is { UpgradeSteps: > 0, DatabaseHeads.Count: > 0 } && (services.Count == 0 || services.Contains(migrations.Service, StringComparer.Ordinal));

    /// <summary>
    /// A switch of services to a release, host by host, then every health URL. When the target's start-up
    /// applies migrations (its heads are ahead of the database's and the switch restarts the service that
    /// runs them), a full backup comes first: the migration changes the database, and the backup is what
    /// a failed one is repaired or restored from. With <paramref name="upgradeFirst"/> (RunOnDeploy) the
    /// upgrade follows the backup as a step of its own, with the target's scripts, before any switch.
    /// </summary>
    internal static StepList SwitchSteps(EnvironmentConfig environment, PlanKind kind, string target, IReadOnlyList<string> services, TeaFleet.Agent.V1.MigrationStatus? migrations, IReadOnlyDictionary<string, ServiceChanges>? changes = null, bool upgradeFirst = false)
    {
        var steps = new StepList(environment);
        if (AppliesMigrations(services, migrations))
        {
            var from = string.Join(",", migrations.DatabaseHeads);
            var to = string.Join(",", migrations.TargetHeads);
            steps.FullBackup(
                $"the database at {from} kept before {PlanText.Short(target)}{(upgradeFirst ? "'s upgrade" : "'s start-up")} applies {migrations.UpgradeSteps} migration(s) to {to}",
                "stop before any host switches; free space in the backup directory (teafleet backups ENV --prune) and run again");
            if (upgradeFirst)
            {
                steps.Add(new UpgradeStep("head", steps.Last, target)
                {
                    Index = 0,
                    Host = environment.DatabaseHost.Name,
                    Verification = $"agent: `alembic upgrade head` with {PlanText.Short(target)}'s scripts in its image (Agent:Migrations:RunOnDeploy), before any service switches; alembic_version reads {to} after",
                    Destructive = true,
                    OnFailure = $"stop before any host switches: the previous release keeps serving. The step's log has Alembic's error; 'teafleet migrations {environment.Name}' shows whether the database moved",
                });
            }
        }

        return steps.Switch(kind, target, services, noCache: false, changes).EnvironmentHealth("stop and report; check the services' logs", changes);
    }
}
