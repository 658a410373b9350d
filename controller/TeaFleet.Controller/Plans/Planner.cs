using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Where commands ask for plans. A rollback's type is chosen here (Type 3 when asked for; else from the
/// migration heads: Type 1 when the target has the database's head, Type 2 when it has an older one
/// the live code can downgrade to) and planned by that type's procedure; the other plans come from
/// their procedure directly. Facts about the fleet are read once per plan (<see cref="FleetFacts"/>).
/// </summary>
public sealed class Planner(IFleetReader reader)
{
    public async Task<Plan> PlanRollbackAsync(EnvironmentConfig environment, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var facts = new FleetFacts(reader, environment);
        var services = request.Services;
        await facts.CheckServicesAsync(services, cancellationToken).ConfigureAwait(false);
        var current = await facts.CurrentCommitsAsync(cancellationToken).ConfigureAwait(false);
        if (request.IsFullSystem)
        {
            return WithWarnings(await FullSystemRollback.PlanAsync(facts, request, now, cancellationToken).ConfigureAwait(false),
                await facts.CheckoutWarningsAsync(cancellationToken).ConfigureAwait(false));
        }

        string commit;
        IReadOnlyList<string> tags = [];
        string? targetWhy = null;
        if (request.To is { } to)
        {
            var resolved = await facts.ResolveEverywhereAsync(to, cancellationToken).ConfigureAwait(false);
            (commit, tags) = (resolved.Commit, resolved.Tags);
            var status = await facts.MigrationsAsync(commit, cancellationToken).ConfigureAwait(false);
            if (PreviousReleases.Ahead(status))
            {
                throw FleetException.BadInput(
                    $"{to} is ahead of the database ({PreviousReleases.AheadText(status!)}): that is a deploy, not a rollback; nothing was changed.",
                    $"teafleet deploy {environment.Name} {to}");
            }
        }
        else
        {
            var previous = await PreviousReleases.ChooseAsync(facts, cancellationToken).ConfigureAwait(false);
            (commit, targetWhy) = (previous.Commit, previous.Reason);
        }

        var target = new RollbackTarget(commit, tags, services, current);
        var checkoutWarnings = await facts.CheckoutWarningsAsync(cancellationToken).ConfigureAwait(false);
        if (checkoutWarnings.Count == 0 && await RunsEverywhereAsync(facts, commit, services, cancellationToken).ConfigureAwait(false))
        {
            return new Plan(PlanKind.Rollback, RollbackType.CodeOnly, environment.Name, commit, tags, services, current, [],
                $"nothing to do: every {(services.Count > 0 ? "named " : "")}service of every host of '{environment.Name}' already runs {PlanText.Short(commit)}.");
        }

        // What the switch cannot do is refused here, before a plan exists: a Type 2's downgrade never runs
        // for a target whose services cannot be switched to.
        await facts.CheckSwitchAsync(commit, services, request.To ?? PlanText.Short(commit), cancellationToken).ConfigureAwait(false);
        var choice = await TypeChooser.ChooseAsync(facts, commit, cancellationToken).ConfigureAwait(false);
        if (targetWhy is not null)
        {
            choice = choice with { Reason = $"{choice.Reason}; {targetWhy}" };
        }

        var mixed = (await facts.RunningCommitsAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.Value.Count > 1).ToList();
        if (mixed.Count > 0)
        {
            choice = choice with { Reason = $"{choice.Reason}; {string.Join(", ", mixed.Select(m => $"{m.Key} runs {RunningCommits.Text(m.Value)}"))}" };
        }

        if (request.Type is { } forced && forced != (int)choice.Type)
        {
            throw FleetException.BadInput(
                $"--type {forced} does not fit this rollback: it is Type {(int)choice.Type} because {choice.Reason}.",
                forced == 3 ? "" : $"Leave --type out (TeaFleet chooses from the migration heads), or use --type 3 to restore a backup.");
        }

        var plan = choice.Type == RollbackType.CodeAndDatabase
            ? await CodeAndDatabaseRollback.BuildAsync(facts, target, choice, cancellationToken).ConfigureAwait(false)
            : CodeOnlyRollback.Build(facts, target, choice);
        return WithWarnings(plan, checkoutWarnings);
    }

    /// <summary>The plan with more warnings after its own (none: the plan as it is).</summary>
    internal static Plan WithWarnings(Plan plan, IReadOnlyList<string> warnings) =>
        warnings.Count == 0 ? plan : plan with { Warnings = [.. plan.Warnings ?? [], .. warnings] };

    /// <summary>
    /// Whether the target already runs everywhere: on every host, every service the switch would touch (the
    /// named ones, else the target's switch services) has a container of the target commit, running (a
    /// one-shot's may have exited: it ran). A host whose agent cannot read the target's service set counts
    /// its release containers instead: all of them run the target.
    /// </summary>
    private static async Task<bool> RunsEverywhereAsync(FleetFacts facts, string commit, IReadOnlyList<string> named, CancellationToken cancellationToken)
    {
        var commits = await facts.RunningCommitsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var host in facts.Environment.Hosts)
        {
            var running = await facts.RunningAsync(host, cancellationToken).ConfigureAwait(false);
            var set = await facts.ServiceSetAsync(host, commit, cancellationToken).ConfigureAwait(false);
            var wanted = named.Count > 0 ? named : set?.SwitchServices.ToList();
            if (wanted is null)
            {
                if (!(commits.TryGetValue(host.Name, out var c) && c.Count == 1 && c[0] == commit))
                {
                    return false;
                }

                continue;
            }

            foreach (var service in wanted)
            {
                var oneShot = set?.Services.FirstOrDefault(s => s.Name == service)?.OneShot ?? false;
                var container = running.FirstOrDefault(s => s.Name == service && s.ContainerId.Length > 0);
                if (container is null || container.Release != commit || !(oneShot || container.State == "running"))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public async Task<Plan> PlanDeployAsync(EnvironmentConfig environment, string reference, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var facts = new FleetFacts(reader, environment);
        var plan = await DeployProcedure.PlanAsync(facts, reference, services, cancellationToken).ConfigureAwait(false);
        return WithWarnings(plan, await facts.CheckoutWarningsAsync(cancellationToken).ConfigureAwait(false));
    }

    public Task<Plan> PlanRestoreAsync(EnvironmentConfig environment, string backupId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RestoreProcedure.PlanAsync(new FleetFacts(reader, environment), backupId, now, cancellationToken);

    public Task<Plan> PlanRepairMigrationAsync(EnvironmentConfig environment, DateTimeOffset now, CancellationToken cancellationToken) =>
        MigrationRepairProcedure.PlanAsync(new FleetFacts(reader, environment), now, cancellationToken);

    public Task<Plan> PlanRepairLeftoversAsync(EnvironmentConfig environment, CancellationToken cancellationToken) =>
        LeftoverRepairProcedure.PlanAsync(new FleetFacts(reader, environment), cancellationToken);

    public static Plan PlanBackup(EnvironmentConfig environment, BackupKind kind) => BackupProcedure.Build(environment, kind);

    public static Plan PlanVerify(EnvironmentConfig environment, string backupId) => VerifyBackupProcedure.Build(environment, backupId);

    public static Plan PlanPrune(EnvironmentConfig environment, bool dryRun) => PruneBackupsProcedure.Build(environment, dryRun);
}
