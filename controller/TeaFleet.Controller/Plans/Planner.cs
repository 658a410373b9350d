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
    public Task<Plan> PlanRollbackAsync(EnvironmentConfig environment, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
        PlanRollbackAsync(environment, request, now, schemaUsers: true, cancellationToken);

    /// <summary>
    /// The rollback's plan; <paramref name="schemaUsers"/>: a Type 2 of named services is refused when it leaves a
    /// service on newer code (<see cref="SchemaUsers"/>). The role scenarios refuse every Type 2 themselves.
    /// </summary>
    private async Task<Plan> PlanRollbackAsync(EnvironmentConfig environment, RollbackRequest request, DateTimeOffset now, bool schemaUsers, CancellationToken cancellationToken)
    {
        var facts = new FleetFacts(reader, environment);
        facts.Prefetch(request.To, cancellationToken);
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

        if (schemaUsers && choice.Type == RollbackType.CodeAndDatabase && services.Count > 0)
        {
            await SchemaUsers.CheckAsync(facts, commit, services, request.To ?? PlanText.Short(commit), choice, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// A runbook scenario by its name (<see cref="Scenarios"/>): 1 (bad-gateway) and 4 (frontend) are a Type 1 of
    /// the backend's or the frontend's services; 3 (worker) stops the worker, flushes its queue and rolls it
    /// back; 2 (migration-failed) is the migration repair; 5 (security) is <see cref="SecurityScenario"/>. Unknown names are refused (exit 2).
    /// </summary>
    public Task<Plan> PlanScenarioAsync(EnvironmentConfig environment, string name, string? to, DateTimeOffset now, CancellationToken cancellationToken) =>
        PlanScenarioAsync(environment, name, new ScenarioRequest(to), now, cancellationToken);

    /// <summary>A runbook scenario with what it was given (scenario 5 needs --before; its code is --patched).</summary>
    public Task<Plan> PlanScenarioAsync(EnvironmentConfig environment, string name, ScenarioRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Scenarios.Check(name, environment.Name, request);
        return name == Scenarios.Security
            ? PlanSecurityAsync(environment, request, now, cancellationToken)
            : PlanScenarioByNameAsync(environment, name, request.To, now, cancellationToken);
    }

    /// <summary>Scenario 5 (<see cref="SecurityScenario"/>), with the checkout warnings of the hosts.</summary>
    private async Task<Plan> PlanSecurityAsync(EnvironmentConfig environment, ScenarioRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var facts = new FleetFacts(reader, environment);
        var plan = await SecurityScenario.PlanAsync(facts, request.Before, request.Patched, now, cancellationToken).ConfigureAwait(false);
        return WithWarnings(plan, await facts.CheckoutWarningsAsync(cancellationToken).ConfigureAwait(false));
    }

    private Task<Plan> PlanScenarioByNameAsync(EnvironmentConfig environment, string name, string? to, DateTimeOffset now, CancellationToken cancellationToken) => name switch
    {
        Scenarios.BadGateway => PlanRoleRollbackAsync(environment, new BadGatewayScenario(), to, now, cancellationToken),
        Scenarios.Frontend => PlanRoleRollbackAsync(environment, new FrontendScenario(), to, now, cancellationToken),
        Scenarios.Worker => PlanWorkerAsync(environment, to, now, cancellationToken),
        Scenarios.MigrationFailed when to is not null => throw FleetException.BadInput(
            "--to does not apply to migration-failed: the repair works on the live release's database; nothing was changed.",
            $"teafleet scenario migration-failed {environment.Name}"),
        Scenarios.MigrationFailed => PlanRepairMigrationAsync(environment, now, cancellationToken),
        _ => Refused(name, environment.Name),
    };

    private static Task<Plan> Refused(string name, string environment)
    {
        Scenarios.Check(name, environment);
        throw new InvalidOperationException($"scenario '{name}' has no plan");
    }

    /// <summary>
    /// The services of <paramref name="role"/> (the inventory's 'roles:', else the service of the role's name),
    /// each of which every host of the environment must have.
    /// </summary>
    internal async Task<IReadOnlyList<string>> RoleServicesAsync(EnvironmentConfig environment, string role, CancellationToken cancellationToken)
    {
        var services = environment.Roles.Of(role);
        var configured = environment.Roles.Configured.Contains(role);
        foreach (var host in environment.Hosts)
        {
            var has = await reader.GetServicesAsync(host, cancellationToken).ConfigureAwait(false);
            var missing = services.Where(s => !has.Contains(s, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw FleetException.BadInput(
                    configured
                        ? $"the inventory's roles name {string.Join(", ", missing.Select(m => $"'{m}'"))} as the {role}, but {host.Name} has no such service (it has: {string.Join(", ", has)}); nothing was changed."
                        : $"{host.Name} has no service called '{role}' (it has: {string.Join(", ", has)}), and the inventory does not say which services play the {role}; nothing was changed.",
                    $"Name them in the inventory, for '{environment.Name}' or at the top: 'roles: {{ {role}: [{string.Join(", ", has.Take(1))}] }}'.");
            }
        }

        return services;
    }

    /// <summary>A Type 1 of one role's services (scenarios 1 and 4); a target that needs a downgrade is refused for 'teafleet rollback'.</summary>
    private async Task<Plan> PlanRoleRollbackAsync(EnvironmentConfig environment, RoleRollbackScenario scenario, string? to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var services = await RoleServicesAsync(environment, scenario.Role, cancellationToken).ConfigureAwait(false);
        var rollback = await CodeOnlyOfAsync(environment, scenario, services, to, now, cancellationToken).ConfigureAwait(false);
        if (rollback.NothingToDo)
        {
            return rollback with { Kind = scenario.Kind };
        }

        return rollback with
        {
            Kind = scenario.Kind,
            Note = $"{PlanStep.ServicesText(services)} on every host, one host at a time, back to {PlanText.Short(rollback.TargetCommit)}; every other service keeps its release.",
        };
    }

    /// <summary>The Type 1 rollback of <paramref name="services"/>; refused when the target needs its migrations downgraded (a Type 2).</summary>
    private async Task<Plan> CodeOnlyOfAsync(EnvironmentConfig environment, RoleRollbackScenario scenario, IReadOnlyList<string> services, string? to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rollback = await PlanRollbackAsync(environment, new RollbackRequest(to, services), now, schemaUsers: false, cancellationToken).ConfigureAwait(false);
        if (rollback.Type != RollbackType.CodeOnly)
        {
            throw FleetException.BadInput(
                $"the {scenario.Role} back to {PlanText.Short(rollback.TargetCommit)} is a Type {(int)rollback.Type} rollback ({rollback.TypeReason}): the database must be downgraded first, which scenario {scenario.Scenario} does not do; nothing was changed.",
                $"teafleet rollback {environment.Name} --to {to ?? rollback.TargetCommit}");
        }

        return rollback;
    }

    /// <summary>
    /// Scenario 3: the worker stopped on every host, its queues flushed on the database host (Agent:Queue),
    /// the worker recreated on the last good release host by host, then the environment's health check; the way
    /// back starts the worker again where it was stopped.
    /// </summary>
    private async Task<Plan> PlanWorkerAsync(EnvironmentConfig environment, string? to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scenario = new WorkerScenario();
        var workers = await RoleServicesAsync(environment, scenario.Role, cancellationToken).ConfigureAwait(false);
        var rollback = await CodeOnlyOfAsync(environment, scenario, workers, to, now, cancellationToken).ConfigureAwait(false);
        var commit = rollback.TargetCommit;
        var facts = new FleetFacts(reader, environment);
        await facts.CheckSwitchAsync(commit, workers, to ?? PlanText.Short(commit), cancellationToken).ConfigureAwait(false);
        var workersText = PlanStep.ServicesText(workers);
        var dbHost = environment.DatabaseHost.Name;

        var steps = new StepList(environment);
        steps.Stop(workers, $"runbook: stop the worker immediately ({workersText}), so it takes no more jobs",
            "stop; the worker is started again where it was stopped (the way back)");
        var stops = Enumerable.Range(1, steps.Last).ToList();
        steps.Add(new FlushQueueStep([])
        {
            Index = 0,
            Host = dbHost,
            Verification = $"agent: runbook: clear the problematic jobs from Redis: the queues of Agent:Queue on {dbHost} removed (their keys only, never FLUSHDB); the keys removed and the lengths before are reported",
            Destructive = true,
            OnFailure = $"stop; the worker is started again on its current release (the way back). Read the step's message: Agent:Queue must be configured on {dbHost}'s agent and Redis must answer",
        });
        steps.Switch(PlanKind.Rollback, commit, workers, noCache: false, facts.ChangesFor(commit));
        steps.EnvironmentHealth($"stop and report: the worker runs {PlanText.Short(commit)}; read its logs (teafleet logs {environment.Name} {workers[0]} --host HOST)", facts.ChangesFor(commit));
        steps.StartAgainOnFailure(stops);
        steps.Monitor($"report loudly: the worker did not hold on {PlanText.Short(commit)} (its log's error lines or restarts are in the step's message); read its logs (teafleet logs {environment.Name} {workers[0]} --host HOST) and run 'teafleet diagnose {environment.Name}'", facts.ChangesFor(commit));

        var note = $"The worker ({workersText}) stops on every host first; then the queues configured in Agent:Queue on {dbHost} (its agent must have Agent:Queue, else the flush fails with the agent's message) are emptied: the jobs waiting in them are lost. " +
                   $"The worker is recreated on {PlanText.Short(commit)} host by host; the backend and frontend keep their release. If the run fails after a stop, the worker is started again there. " +
                   (environment.Monitor.Window > TimeSpan.Zero
                       ? $"Then the watch reads the worker's log (and every other service's) for {MonitorStep.Seconds(environment.Monitor.Window)}: error lines or a restart fail it loudly."
                       : $"Then watch the worker's log: teafleet logs {environment.Name} {workers[0]} --host HOST (the inventory turns the watch off).");
        return new Plan(scenario.Kind, RollbackType.CodeOnly, environment.Name, commit, rollback.TargetTags, workers, rollback.CurrentCommits, steps.Steps, note, rollback.TypeReason, Warnings: rollback.Warnings);
    }

    public Task<Plan> PlanRepairMigrationAsync(EnvironmentConfig environment, DateTimeOffset now, CancellationToken cancellationToken) =>
        MigrationRepairProcedure.PlanAsync(new FleetFacts(reader, environment), now, cancellationToken);

    public Task<Plan> PlanRepairLeftoversAsync(EnvironmentConfig environment, CancellationToken cancellationToken) =>
        LeftoverRepairProcedure.PlanAsync(new FleetFacts(reader, environment), cancellationToken);

    public static Plan PlanBackup(EnvironmentConfig environment, BackupKind kind) => BackupProcedure.Build(environment, kind);

    public static Plan PlanVerify(EnvironmentConfig environment, string backupId) => VerifyBackupProcedure.Build(environment, backupId);

    public static Plan PlanPrune(EnvironmentConfig environment, bool dryRun) => PruneBackupsProcedure.Build(environment, dryRun);
}
