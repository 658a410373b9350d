using TeaFleet.Agent.V1;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A deploy's way back and what to say after it failed. When a switch or a health check fails, every
/// host the deploy reached goes back to the code it ran, so the previous release serves again (what
/// Kamal and docker-rollout give by never stopping the old container before the new one is healthy).
/// When the deploy applies migrations, the hosts go back only once the database is found still at its
/// pre-deploy head: a start-up migration that failed in its transaction changed nothing, and the old code
/// runs on that database as before. A database that moved (a migration applied in part, or the upgrade
/// step succeeded and the new code then failed) is not one the old code is known to run on: the hosts
/// keep the new code and the next move names the repair.
/// </summary>
public static class DeployWayBack
{
    /// <summary>Adds the way-back steps after the forward ones; returns the plan's note about them (null: nothing to go back to).</summary>
    public static string? Add(StepList steps, EnvironmentConfig environment, string target, IReadOnlyList<string> services,
        IReadOnlyDictionary<string, string> current, MigrationStatus? migrates, bool upgradeFirst, LeftoversResponse? before = null)
    {
        var switches = steps.Steps.OfType<RecreateServicesStep>()
            .Where(s => current.GetValueOrDefault(s.Host) is { Length: > 0 } was && was != target).ToList();
        if (switches.Count == 0)
        {
            return null;
        }

        int? gate = null;
        var from = migrates is null ? "" : string.Join(",", migrates.DatabaseHeads);
        if (migrates is not null)
        {
            steps.Add(new CheckDatabaseStep(from)
            {
                Index = 0,
                Host = environment.DatabaseHost.Name,
                Verification = $"controller: only if the run failed at or after step {switches[0].Index}: the database is still at {from}, its head before the deploy, and its schema is the one it had there (against the newest verified backup at that head) ({(upgradeFirst ? "the upgrade step did not run or changed nothing" : $"{PlanText.Short(target)}'s start-up migration changed nothing")}), so the code before the deploy runs on it",
                SameSchema = true,
                KnownDifferences = before is { Compared: true } ? [.. before.Differences.Select(LeftoverText.Difference)] : [],
                OnFailure = $"the hosts keep {PlanText.Short(target)}: the database moved (see 'teafleet migrations {environment.Name}'); repair it ('teafleet repair migration-failed {environment.Name}') or roll back ('teafleet rollback {environment.Name}')",
                RunsIf = StepCondition.UndoesTried(switches[0].Index),
            });
            gate = steps.Last;
        }

        foreach (var step in switches)
        {
            var was = current[step.Host];
            steps.Add(new RecreateServicesStep(services, was, PlanKind.Rollback)
            {
                Removes = step.Creates,
                Creates = step.Removes,
                Index = 0,
                Host = step.Host,
                Verification = $"agent: only if the run failed at or after step {step.Index}{(gate is { } g ? $" and step {g} found the database unchanged" : "")}: {step.Host} back on {PlanText.Short(was)}, the code it ran before the deploy",
                OnFailure = $"report which services are down on {step.Host} (teafleet status {environment.Name}; teafleet logs {environment.Name} SERVICE --host {step.Host})",
                RunsIf = StepCondition.UndoesTried(step.Index),
                Requires = gate,
            });
        }

        return $"If a switch or a health check fails, the hosts the deploy reached go back to the code they ran" +
               (gate is { } check ? $", once step {check} finds the database still at {from} (a failed migration that changed nothing); a database that moved keeps {PlanText.Short(target)} and the run says how to repair it." : ".");
    }

    /// <summary>
    /// After a failed deploy: what runs now (from the journaled results of the way back) and the one next
    /// command. A failed upgrade step changed no service; a failed switch went back or says why not.
    /// </summary>
    public static string NextMove(string inventoryOption, Plan plan, PlanStep failed, IReadOnlyDictionary<int, StepRecord> steps)
    {
        var env = plan.Environment;
        var target = plan.TargetTags.FirstOrDefault() ?? PlanText.Short(plan.TargetCommit);
        var before = string.Join(", ", plan.CurrentCommits.Values.Distinct(StringComparer.Ordinal).Select(PlanText.Short));
        bool Succeeded(PlanStep s) => steps.TryGetValue(s.Index, out var r) && r.Result == StepResult.Succeeded;
        bool Failed(PlanStep s) => steps.TryGetValue(s.Index, out var r) && r.Result is StepResult.Failed or StepResult.Interrupted or StepResult.Cancelled;
        var wayBack = plan.Steps.Where(s => s.Undoes is not null).ToList();
        var gate = wayBack.OfType<CheckDatabaseStep>().FirstOrDefault();
        var backs = wayBack.OfType<RecreateServicesStep>().ToList();
        var firstSwitch = plan.Steps.OfType<RecreateServicesStep>().FirstOrDefault(s => s.Undoes is null);
        if (failed is UpgradeStep)
        {
            return $"the migration failed before any service switched: every host still runs {before}. The database stays where step {failed.Index} left it (its message says whether Alembic changed anything; 'teafleet {inventoryOption} migrations {env}' shows the head). " +
                   $"Fix what the migration's error names, then deploy again: 'teafleet {inventoryOption} deploy {env} {target}'.";
        }

        if (firstSwitch is null || failed.Index < firstSwitch.Index)
        {
            return $"nothing switched: every host still runs {before}. Fix what step {failed.Index} reports, then deploy again: 'teafleet {inventoryOption} deploy {env} {target}'.";
        }

        if (gate is not null && Failed(gate))
        {
            var head = steps[gate.Index].Data?.GetValueOrDefault(OperationResultKeys.MigrationHead);
            var moved = head == gate.ExpectHead && steps[gate.Index].Data?.GetValueOrDefault("schema_changes") is { Length: > 0 } changes
                ? $"the database is still at {gate.ExpectHead} but its schema changed ({changes})"
                : $"the database is no longer at {gate.ExpectHead} (now {(string.IsNullOrEmpty(head) ? "unknown" : head)})";
            return $"{moved}: {target}'s migration changed it, so the hosts were not switched back and run {target}'s code. " +
                   $"See 'teafleet {inventoryOption} migrations {env}', then complete or revert it: 'teafleet {inventoryOption} repair migration-failed {env}' (or roll back: 'teafleet {inventoryOption} rollback {env}').";
        }

        var backFailed = backs.Where(Failed).ToList();
        if (backFailed.Count > 0)
        {
            return $"the way back did not finish: {string.Join(", ", backFailed.Select(s => $"step {s.Index} ({s.Host})"))} failed. See what runs with 'teafleet {inventoryOption} status {env}' and bring it back with 'teafleet {inventoryOption} rollback {env} --to {PlanText.Short(backFailed[0].Commit)}'.";
        }

        var wentBack = backs.Where(Succeeded).ToList();
        if (wentBack.Count == 0)
        {
            return $"check 'teafleet {inventoryOption} logs {env} SERVICE --host {failed.Host}', then roll back with 'teafleet {inventoryOption} rollback {env}' or fix and deploy again.";
        }

        var database = gate is not null && Succeeded(gate)
            ? $" The database is unchanged at {gate.ExpectHead}: {target}'s migrations were not applied (step {failed.Index}'s message has the failing service's last lines)."
            : "";
        return $"the deploy failed at step {failed.Index} on {failed.Host}; {string.Join(", ", wentBack.Select(s => s.Host))} went back to {string.Join(", ", wentBack.Select(s => PlanText.Short(s.Commit)).Distinct(StringComparer.Ordinal))}: the previous release serves again.{database} " +
               $"Fix what the logs show ('teafleet {inventoryOption} logs {env} SERVICE --host {failed.Host}'), then deploy again: 'teafleet {inventoryOption} deploy {env} {target}'.";
    }
}
