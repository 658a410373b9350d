using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Type 3 (runbook): the backup (by id, or the newest verified one before a time, or the newest
/// verified), the release live when it was taken (its catalogue entry, else the ledger, else the
/// commit log by time), then: stop the app, restore (safety backup first), switch the code with
/// images built again without cache, check, smoke test, post-rollback backup. The plan carries the
/// data-loss window. A backup behind a named target's head is expected at the target's head after the
/// switch (its start-up migrates), or upgraded first where the app migrates by command.
/// </summary>
public sealed class FullSystemRollback : RollbackProcedure
{
    public override RollbackType Type => RollbackType.FullSystem;

    public override string Title => "Type 3 rollback (full system, from a backup)";

    protected override string TypeWords => "full system";

    public static Task<Plan> PlanAsync(FleetFacts facts, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
        PlanAsync(facts, request, now, null, cancellationToken);

    /// <param name="offline">
    /// Steps laid out once the app is stopped and blocked, before the restore (scenario 5's forensic collect);
    /// null: none.
    /// </param>
    internal static async Task<Plan> PlanAsync(FleetFacts facts, RollbackRequest request, DateTimeOffset now, Action<StepList>? offline, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var dbHost = environment.DatabaseHost;
        var current = await facts.CurrentCommitsAsync(cancellationToken).ConfigureAwait(false);
        // Type 3 to a release: only a backup that release's code can run on (its head known, not taken under newer code).
        var targetStatus = request.To is { } to
            ? await facts.MigrationsAsync((await facts.ResolveEverywhereAsync(to, cancellationToken).ConfigureAwait(false)).Commit, cancellationToken).ConfigureAwait(false)
            : null;
        var fit = request.To is { } named ? BackupFit.From(targetStatus, named) : null;
        var backup = await BackupSelection.SelectAsync(facts, request, now, cancellationToken, fit).ConfigureAwait(false);
        var takenAt = backup.TakenAt.ToDateTimeOffset();
        var (target, tags, codeWhy) = await CodeOfAsync(facts, request, backup, cancellationToken).ConfigureAwait(false);

        await facts.CheckSwitchAsync(target, request.Services, tags.FirstOrDefault() ?? PlanText.Short(target), cancellationToken).ConfigureAwait(false);
        var steps = new StepList(environment);
        steps.Stop([], "stop the app's services (runbook Type 3 step 1, \"compose down\"; the database stays up for the restore)",
            $"stop; nothing was restored. Start them again with 'teafleet rollback {environment.Name} --to {PlanText.Short(current.Values.FirstOrDefault() ?? "")}'");
        // Runbook Type 3 step 2, "block all traffic": the public ports of every host whose ufw is active, kept
        // open to the controller for its checks; they come back one host at a time after the smoke test.
        var (blockable, unblockable) = await facts.BlockableHostsAsync(cancellationToken).ConfigureAwait(false);
        steps.Block(blockable, keepCaller: true, $"stop; the app stays stopped and the hosts blocked so far stay blocked ('teafleet allow {environment.Name}' lets traffic back)");
        offline?.Invoke(steps);
        steps.Add(new RestoreStep(backup.Id)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = "agent: backup verified; safety backup of the current database taken and verified first; restored; tables and Alembic head read back",
            Destructive = true,
            OnFailure = "stop; the agent put the safety backup back (its id is in the step's result); the app stays stopped: restore by hand or escalate",
        });
        // A backup behind the target's head (a Type 3 to a release, from a backup taken before its migrations)
        // is brought to that head: by the target's start-up, or, where the app migrates by command
        // (RunOnDeploy), by an upgrade with the target's scripts before the switch.
        var targetHead = targetStatus is { TargetHeads.Count: > 0 } ? string.Join(",", targetStatus.TargetHeads) : "";
        var upgrades = targetHead.Length > 0 && backup.MigrationHead.Length > 0 && backup.MigrationHead != targetHead;
        if (upgrades && targetStatus!.RunOnDeploy)
        {
            steps.Add(new UpgradeStep("head", Commit: target)
            {
                Index = 0,
                Host = dbHost.Name,
                Verification = $"agent: `alembic upgrade head` with {PlanText.Short(target)}'s scripts (Agent:Migrations:RunOnDeploy): the restored database from {backup.MigrationHead} to {targetHead}, before the switch",
                Destructive = true,
                OnFailure = "stop; the app stays stopped: the restored database is not at the target's head; see 'teafleet migrations ENV', restore again or escalate",
            });
        }

        steps.Switch(PlanKind.Rollback, target, request.Services, noCache: true, facts.ChangesFor(target))
            .DatabaseCheck(upgrades ? targetHead : backup.MigrationHead,
                upgrades ? $"stop and report: the database is not at {targetHead}, the head {PlanText.Short(target)} brings the restored {backup.MigrationHead} to" : "stop and report: the restored database does not match the backup's head")
            .EnvironmentHealth("stop and report; check the services' logs", facts.ChangesFor(target));
        steps.SmokeTest("stop and report: the app runs but fails its smoke test; do not let traffic in");
        steps.GradualAllow(blockable);
        steps.PostRollbackBackup();
        steps.Monitor($"report loudly: the restored system did not hold. Block its users again ('teafleet block {environment.Name}'), read the evidence ('teafleet diagnose {environment.Name}') and call the contacts", facts.ChangesFor(target));
        var note = $"Type 3: restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {takenAt:yyyy-MM-dd HH:mm:ss}Z" +
                   (backup.MigrationHead.Length > 0 ? $", Alembic head {backup.MigrationHead}" : "") +
                   $") and switch the code to {PlanText.Short(target)}: {codeWhy}. Data loss window: everything written after {takenAt:yyyy-MM-dd HH:mm:ss}Z ({PlanText.DataLossWindow(now - takenAt)} before planning) is lost; the safety backup keeps it." +
                   (environment.Smoke is null ? " The inventory has no 'smoke:' for this environment: test login, reading, creating and deleting a record by hand." : "") +
                   PlanText.Traffic(blockable, unblockable);
        var why = request.BackupId is not null ? $"--backup {request.BackupId} asks for a restore"
            : request.Before is { } before ? $"--before {before:yyyy-MM-dd HH:mm:ss}Z asks for the newest verified backup before that time"
            : "--type 3 asks for a restore of the newest verified backup";
        return new Plan(PlanKind.Rollback, RollbackType.FullSystem, environment.Name, target, tags, request.Services, current, steps.Steps, note, why, takenAt);
    }

    /// <summary>The base advice, and which hosts are still blocked (a failed Type 3 keeps its users out) with the command that lets them in.</summary>
    public override string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, Engine.StepRecord> steps, string runId)
    {
        var advice = NextMove(inventoryOption, plan, failed?.Host ?? "HOST", runId);
        var blocked = plan.Steps.OfType<BlockTrafficStep>().Where(s => steps.TryGetValue(s.Index, out var r) && r.Result == Engine.StepResult.Succeeded).Select(s => s.Host)
            .Except(plan.Steps.OfType<AllowTrafficStep>().Where(s => steps.TryGetValue(s.Index, out var r) && r.Result == Engine.StepResult.Succeeded).Select(s => s.Host), StringComparer.Ordinal)
            .ToList();
        return blocked.Count == 0 ? advice
            : $"{advice} Traffic is still blocked on {string.Join(", ", blocked)} (users get no answer, which is safer than a broken app); once the app is right, 'teafleet {inventoryOption} allow {plan.Environment}' lets it back one host at a time.";
    }

    /// <summary>The code that matches the backup: --to, else the release the catalogue recorded, else the ledger's, else git log by time.</summary>
    private static async Task<(string Target, IReadOnlyList<string> Tags, string Why)> CodeOfAsync(FleetFacts facts, RollbackRequest request, Backup backup, CancellationToken cancellationToken)
    {
        var dbHost = facts.Environment.DatabaseHost;
        var takenAt = backup.TakenAt.ToDateTimeOffset();
        if (request.To is { } to)
        {
            var resolved = await facts.ResolveEverywhereAsync(to, cancellationToken).ConfigureAwait(false);
            return (resolved.Commit, resolved.Tags, $"the code target {to} was given with --to");
        }

        if (backup.ReleaseCommit.Length > 0)
        {
            var resolved = await facts.ResolveEverywhereAsync(backup.ReleaseCommit, cancellationToken).ConfigureAwait(false);
            return (resolved.Commit, resolved.Tags, $"{PlanText.Short(backup.ReleaseCommit)} was live on {dbHost.Name} when {backup.Id} was taken (the catalogue records it)");
        }

        var ledgers = await facts.LedgersAsync(cancellationToken).ConfigureAwait(false);
        if (ledgers.First(l => l.Host == dbHost.Name).Releases
                .Where(r => r.Result == ReleaseResult.Succeeded && r.StartedAt is not null && r.StartedAt.ToDateTimeOffset() <= takenAt)
                .MaxBy(r => r.Id) is { } release)
        {
            return (release.Commit, [], $"release {release.Id} ({PlanText.Short(release.Commit)}) was the last to go live on {dbHost.Name} before the backup (ledger)");
        }

        if (await facts.Reader.CommitAtAsync(dbHost, takenAt, cancellationToken).ConfigureAwait(false) is { } commit)
        {
            return (commit.Commit, commit.Tags, $"{PlanText.Short(commit.Commit)} is the newest commit made before the backup (git log by time; the ledger has no release before it)");
        }

        throw FleetException.BadInput(
            $"cannot tell which code matches backup {backup.Id} (taken {takenAt:yyyy-MM-dd HH:mm:ss}Z): the catalogue, the ledger and the commit log know no release from before it.",
            $"Name the code with --to REF.");
    }
}
