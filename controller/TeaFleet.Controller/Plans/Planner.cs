using System.Globalization;
using System.Text;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Turns "roll ENV back" or "deploy REF to ENV" into a plan: one <c>services.recreate</c> per host, one host
/// at a time, each followed by that host's health check, and a final check of every health URL of the
/// environment. Validates services and refs against the hosts before anything changes.
/// </summary>
public sealed class Planner(IFleetReader reader)
{
    /// <summary>
    /// Plans a rollback of the runbook's type: Type 3 when asked for (--type 3, --before, --backup);
    /// else Type 1 when the target release has the database's migration head, Type 2 when it has an
    /// older one the live code can downgrade to. The plan says which type and why.
    /// </summary>
    public async Task<Plan> PlanRollbackAsync(EnvironmentConfig environment, RollbackRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var services = request.Services;
        await CheckServicesAsync(environment, services, cancellationToken).ConfigureAwait(false);
        var ledgers = await Task.WhenAll(environment.Hosts.Select(h => reader.GetLedgerAsync(h, cancellationToken))).ConfigureAwait(false);
        var current = ledgers.ToDictionary(l => l.Host, l => l.CurrentCommit, StringComparer.Ordinal);
        if (request.IsFullSystem)
        {
            return await PlanFullSystemAsync(environment, request, ledgers, current, now, cancellationToken).ConfigureAwait(false);
        }

        string target;
        IReadOnlyList<string> tags;
        if (request.To is { } to)
        {
            var resolved = await ResolveEverywhereAsync(environment, to, cancellationToken).ConfigureAwait(false);
            target = resolved.Commit;
            tags = resolved.Tags;
        }
        else
        {
            var views = ledgers.Select(l => (l.Host, Current: l.CurrentCommit, Target: PreviousRelease(l))).ToList();
            var missing = views.Where(v => v.Target is null).ToList();
            if (missing.Count > 0)
            {
                throw FleetException.BadInput(
                    $"environment '{environment.Name}' has no earlier release to roll back to on {string.Join(", ", missing.Select(m => m.Host))} " +
                    $"(the ledger needs a succeeded release with another commit before the current one).",
                    $"Name the target: teafleet rollback {environment.Name} --to <commit or tag>.");
            }

            var distinct = views.Select(v => v.Target!.Commit).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 1)
            {
                var text = new StringBuilder($"the hosts of '{environment.Name}' disagree on the release to roll back to:");
                foreach (var v in views)
                {
                    text.Append($"\n  {v.Host}: current {Short(v.Current)}, previous {Short(v.Target!.Commit)} (release {v.Target.Id}, {v.Target.Kind})");
                }

                throw FleetException.BadInput(text.ToString(), $"Choose the target yourself: teafleet rollback {environment.Name} --to <commit>.");
            }

            target = distinct[0];
            tags = [];
        }

        if (environment.Hosts.All(h => current[h.Name] == target))
        {
            return new Plan(PlanKind.Rollback, RollbackType.CodeOnly, environment.Name, target, tags, services, current, [],
                $"nothing to do: every host of '{environment.Name}' already runs {Short(target)}.");
        }

        var choice = await ChooseTypeAsync(environment, target, ledgers, cancellationToken).ConfigureAwait(false);
        if (request.Type is { } forced && forced != (int)choice.Type)
        {
            throw FleetException.BadInput(
                $"--type {forced} does not fit this rollback: it is Type {(int)choice.Type} because {choice.Reason}.",
                forced == 3 ? "" : $"Leave --type out (TeaFleet chooses from the migration heads), or use --type 3 to restore a backup.");
        }

        if (choice.Type == RollbackType.CodeAndDatabase)
        {
            return await BuildCodeAndDatabaseAsync(environment, target, tags, services, current, choice, cancellationToken).ConfigureAwait(false);
        }

        return Build(PlanKind.Rollback, RollbackType.CodeOnly, environment, target, tags, services, current, choice.Status) with { TypeReason = choice.Reason };
    }

    public async Task<Plan> PlanDeployAsync(EnvironmentConfig environment, string reference, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        await CheckServicesAsync(environment, services, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveEverywhereAsync(environment, reference, cancellationToken).ConfigureAwait(false);
        var ledgers = await Task.WhenAll(environment.Hosts.Select(h => reader.GetLedgerAsync(h, cancellationToken))).ConfigureAwait(false);
        var current = ledgers.ToDictionary(l => l.Host, l => l.CurrentCommit, StringComparer.Ordinal);
        var migrations = await reader.GetMigrationStatusAsync(environment.DatabaseHost, resolved.Commit, cancellationToken).ConfigureAwait(false);
        if (migrations is { DowngradeSteps: > 0 })
        {
            // Its start-up would find a database newer than its scripts and fail: that is a Type 2 rollback.
            throw FleetException.BadInput(
                $"{Short(resolved.Commit)} is older than the database: its migration head is {string.Join(",", migrations.TargetHeads)}, the database is at {string.Join(",", migrations.DatabaseHeads)} ({migrations.DowngradeSteps} migration(s) newer). Deployed as it is, its backend would not start.",
                $"Roll back to it instead, which reverts those migrations first (Type 2): teafleet rollback {environment.Name} --to {reference}");
        }

        return Build(PlanKind.Deploy, RollbackType.None, environment, resolved.Commit, resolved.Tags, services, current, migrations);
    }

    /// <summary>A backup of the environment's database on its database host (runbook: backup_db.sh [--quick]).</summary>
    public static Plan PlanBackup(EnvironmentConfig environment, BackupKind kind)
    {
        var host = environment.DatabaseHost;
        var step = new BackupStep(kind)
        {
            Index = 1,
            Host = host.Name,
            Verification = "agent: free space checked first; pg_dump complete, fsynced, renamed into place, size and sha256 in the catalogue" + (kind == BackupKind.Quick ? "" : "; verified (sha256, pg_restore --list)"),
            OnFailure = "stop; nothing half-written is catalogued. Free space in the backup directory or check the database",
        };
        return new Plan(PlanKind.Backup, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            $"a {BackupKinds.Name(kind)} backup of the database on {host.Name}");
    }

    /// <summary>One backup verified again (runbook: check a backup before trusting it); the verdict goes into the catalogue.</summary>
    public static Plan PlanVerify(EnvironmentConfig environment, string backupId)
    {
        var host = environment.DatabaseHost;
        var step = new VerifyBackupStep(backupId)
        {
            Index = 1,
            Host = host.Name,
            Verification = "agent: the file's sha256 matches the catalogue and pg_restore --list reads its table of contents; the verdict is recorded",
            OnFailure = "stop; a backup that fails verification is never restored: choose another ('teafleet backups ENV') or take a new one",
        };
        return new Plan(PlanKind.Verify, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            $"verify backup {backupId} on {host.Name}");
    }

    /// <summary>Old backups deleted by the database host's retention policy (never the newest verified one); a dry run deletes nothing.</summary>
    public static Plan PlanPrune(EnvironmentConfig environment, bool dryRun)
    {
        var host = environment.DatabaseHost;
        var step = new PruneBackupsStep(dryRun)
        {
            Index = 1,
            Host = host.Name,
            Verification = dryRun ? "agent: lists what the retention policy would delete; deletes nothing"
                   : "agent: deletes the backups the retention policy selects (keep the last N and one a day for D days, never the newest verified); each deleted id is in the step's result",
            Destructive = !dryRun,
            OnFailure = "stop; the catalogue lists what is left ('teafleet backups ENV')",
        };
        return new Plan(PlanKind.Prune, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            dryRun ? $"what the retention policy on {host.Name} would delete" : $"old backups on {host.Name} deleted by the retention policy");
    }

    /// <summary>
    /// A restore of one catalogued backup on the environment's database host: the agent verifies it,
    /// takes and verifies a safety backup, empties the database, restores and checks; then the
    /// environment's health URLs. Refuses an unknown id, a path, or a backup that failed verification.
    /// </summary>
    public async Task<Plan> PlanRestoreAsync(EnvironmentConfig environment, string backupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var host = environment.DatabaseHost;
        CheckNotAPath(environment, backupId);
        var backups = await reader.ListBackupsAsync(host, cancellationToken).ConfigureAwait(false);
        var backup = backups.FirstOrDefault(b => b.Id == backupId)
            ?? throw FleetException.BadInput(
                $"no backup '{backupId}' on {host.Name} (environment '{environment.Name}'); nothing was changed.",
                $"List the backups with 'teafleet backups {environment.Name}'.");
        if (backup.VerifyState == VerifyState.Failed)
        {
            throw FleetException.BadInput(
                $"backup {backup.Id} failed verification ({backup.VerifyMessage}); it is never restored.",
                $"Choose another from 'teafleet backups {environment.Name}'.");
        }

        var takenAt = backup.TakenAt.ToDateTimeOffset();
        var steps = new List<PlanStep>
        {
            new RestoreStep(backup.Id)
            {
                Index = 1,
                Host = host.Name,
                Verification = "agent: backup verified; safety backup of the current database taken and verified first; restored; tables and Alembic head read back",
                Destructive = true,
                OnFailure = "stop; the safety backup (its id is in the step's result) holds the database as it was: restore it with 'teafleet restore ENV SAFETY_ID'",
            },
        };
        AddEnvironmentHealth(steps, environment, "stop and report; the app may need the code of the backup's release (its release is in the plan's note)");

        var note = $"restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {takenAt:yyyy-MM-dd HH:mm:ss}Z" +
                   (backup.ReleaseCommit.Length > 0 ? $", release {Short(backup.ReleaseCommit)}" : "") +
                   (backup.MigrationHead.Length > 0 ? $", Alembic head {backup.MigrationHead}" : "") +
                   $"). Data loss window: everything written after {takenAt:yyyy-MM-dd HH:mm:ss}Z ({DataLossWindow(now - takenAt)}) is lost.";
        return new Plan(PlanKind.Restore, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps, note);
    }

    /// <summary>
    /// Runbook scenario 2, "database migration failed mid-way": when the database is behind the live
    /// code's head (its upgrade failed), at a revision the live code does not know, or the agent's last
    /// upgrade failed: a fresh backup, then complete the migration (upgrade head); only if that fails,
    /// downgrade one; only if that fails too, restore the newest verified backup. Then the query test.
    /// </summary>
    public async Task<Plan> PlanRepairMigrationAsync(EnvironmentConfig environment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dbHost = environment.DatabaseHost;
        var status = await reader.GetMigrationStatusAsync(dbHost, null, cancellationToken).ConfigureAwait(false)
            ?? throw FleetException.BadInput($"{dbHost.Name} runs no migrations (Agent:Migrations is not configured there); there is nothing TeaFleet can repair.",
                "Configure Agent:Migrations on the environment's database host.");
        var db = string.Join(",", status.DatabaseHeads);
        var current = new Dictionary<string, string>(StringComparer.Ordinal) { [dbHost.Name] = status.CodeCommit };
        var halfApplied = status.State is MigrationState.Behind or MigrationState.UnknownRevision || (status.LastUpgradeFailed && status.State != MigrationState.UpToDate);
        var detected = $"{status.Detail}" + (status.LastUpgradeFailed ? $"; the last upgrade on {dbHost.Name} failed ({status.LastUpgradeOperationId}: {status.LastUpgradeMessage})" : "");
        if (!halfApplied)
        {
            return new Plan(PlanKind.Repair, RollbackType.None, environment.Name, status.CodeCommit, [], [], current, [],
                $"nothing to repair: {detected}.", "no half-applied migration detected");
        }

        var steps = new List<PlanStep>();
        var traffic = await TrafficServicesAsync(environment, cancellationToken).ConfigureAwait(false);
        var trafficText = TrafficText(traffic);
        AddStop(steps, environment, traffic, $"stop {trafficText}: no traffic, and no migration run by a restarting backend while the database is repaired",
            "stop before changing anything; check the host");
        if (status.State == MigrationState.Behind)
        {
            steps.Add(new CheckMigrationsStep(db)
            {
                Index = steps.Count + 1,
                Host = dbHost.Name,
                Verification = $"agent: the live release's `alembic current` reads {db} (runbook: migrate.sh --check)",
                OnFailure = "stop before changing anything: the database moved since the plan; plan again",
            });
        }

        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = steps.Count + 1,
            Host = dbHost.Name,
            Verification = "agent: the half-applied state kept in a catalogued backup before anything is tried",
            OnFailure = "stop before changing anything; free space in the backup directory and run again",
        });
        var backupStep = steps.Count;
        steps.Add(new UpgradeStep("head", backupStep)
        {
            Index = steps.Count + 1,
            Host = dbHost.Name,
            Verification = $"agent: option A, complete the migration: `alembic upgrade head` with the live release's scripts; alembic_version reads {string.Join(",", status.CodeHeads)} after",
            Destructive = true,
            OnFailure = "try the next step (downgrade one)",
        });
        var upgradeStep = steps.Count;
        var latest = (await reader.ListBackupsAsync(dbHost, cancellationToken).ConfigureAwait(false))
            .Where(b => b.VerifyState == VerifyState.Verified).MaxBy(b => b.TakenAt.ToDateTimeOffset());
        steps.Add(new DowngradeStep(1, BackupStep: backupStep)
        {
            Index = steps.Count + 1,
            Host = dbHost.Name,
            Verification = "agent: option B, only if the upgrade failed: `alembic downgrade` one revision below the database's; alembic_version reads the revision below after",
            Destructive = true,
            OnFailure = latest is null ? "stop: no verified backup to restore; restore by hand or escalate" : "try the next step (restore)",
            RunsIf = StepCondition.PreviousFailed,
        });
        if (latest is not null)
        {
            steps.Add(new RestoreStep(latest.Id)
            {
                Index = steps.Count + 1,
                Host = dbHost.Name,
                Verification = $"agent: only if the downgrade failed too: restore the newest verified backup {latest.Id} (safety backup first); tables and Alembic head read back",
                Destructive = true,
                OnFailure = "stop; the agent put the safety backup back; escalate",
                RunsIf = StepCondition.PreviousFailed,
            });
        }

        steps.Add(DatabaseCheck(steps, environment, "", "stop and report"));
        foreach (var host in environment.Hosts)
        {
            steps.Add(new StartServicesStep(traffic)
            {
                Index = steps.Count + 1,
                Host = host.Name,
                Verification = $"agent: only if the migration was completed (step {upgradeStep}): {trafficText} started again on the live release, running and healthy, health URLs 2xx",
                OnFailure = $"stop and report: read the logs (teafleet logs {environment.Name} backend --host {host.Name})",
                RunsIf = StepCondition.Succeeded(upgradeStep),
            });
        }

        var note = $"detected: {detected}. Each option runs only if the one before it failed." +
                   (latest is null ? " There is no verified backup to fall back on." : $" Restoring {latest.Id} (taken {latest.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z) loses what was written after it ({DataLossWindow(now - latest.TakenAt.ToDateTimeOffset())}).") +
                   $" After a downgrade or a restore, {trafficText} stay stopped: the live code ({Short(status.CodeCommit)}) expects {string.Join(",", status.CodeHeads)}, so roll the code back to the release of the database's head (teafleet rollback {environment.Name} --to REF), which starts them.";
        return new Plan(PlanKind.Repair, RollbackType.None, environment.Name, status.CodeCommit, [], [], current, steps, note, $"half-applied migration: {status.State}");
    }

    internal static string DataLossWindow(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h {span.Minutes} min"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{Math.Max(0, (int)span.TotalMinutes)} min {Math.Max(0, span.Seconds)} s";

    /// <summary>
    /// The release before the current one: the newest succeeded release older than the current (newest
    /// succeeded) one with a different commit, skipping commits a later rollback moved away from.
    /// </summary>
    public static Release? PreviousRelease(HostLedger ledger)
    {
        var succeeded = ledger.Releases.Where(r => r.Result == ReleaseResult.Succeeded).OrderByDescending(r => r.Id).ToList();
        if (succeeded.Count == 0)
        {
            return null;
        }

        var current = succeeded[0];
        var abandoned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var release in succeeded)
        {
            if (release.Kind == PlanKind.Rollback.Word() && release.PreviousCommit.Length > 0 && release.PreviousCommit != release.Commit)
            {
                abandoned.Add(release.PreviousCommit);
            }

            if (release != current && release.Commit != current.Commit && !abandoned.Contains(release.Commit))
            {
                return release;
            }
        }

        return null;
    }

    /// <summary>
    /// A switch of services to a release, host by host. When the target's start-up applies migrations
    /// (its heads are ahead of the database's and the switch restarts the service that runs them), a
    /// full backup comes first, as the runbook's deploy.sh takes one: the migration changes the
    /// database, and the backup is what a failed one is repaired or restored from.
    /// </summary>
    private static Plan Build(PlanKind kind, RollbackType type, EnvironmentConfig environment, string target, IReadOnlyList<string> tags, IReadOnlyList<string> services,
        IReadOnlyDictionary<string, string> current, MigrationStatus? migrations)
    {
        var steps = new List<PlanStep>();
        if (migrations is { UpgradeSteps: > 0, DatabaseHeads.Count: > 0 } && (services.Count == 0 || services.Contains(migrations.Service, StringComparer.Ordinal)))
        {
            steps.Add(FullBackup(steps, environment,
                $"the database at {string.Join(",", migrations.DatabaseHeads)} kept before {Short(target)}'s start-up applies {migrations.UpgradeSteps} migration(s) to {string.Join(",", migrations.TargetHeads)}",
                "stop before any host switches; free space in the backup directory (teafleet backups ENV --prune) and run again"));
        }

        AddSwitchSteps(steps, kind, environment, target, services, noCache: false);
        AddEnvironmentHealth(steps, environment, "stop and report; check the services' logs");
        return new Plan(kind, type, environment.Name, target, tags, services, current, steps);
    }

    /// <summary>Per host, one at a time: services.recreate on the target, then that host's health URLs.</summary>
    private static void AddSwitchSteps(List<PlanStep> steps, PlanKind kind, EnvironmentConfig environment, string target, IReadOnlyList<string> services, bool noCache)
    {
        foreach (var host in environment.Hosts)
        {
            var isLast = host == environment.Hosts[^1];
            steps.Add(new RecreateServicesStep(services, target, kind, noCache)
            {
                Index = steps.Count + 1,
                Host = host.Name,
                Verification = "agent: " + (noCache ? "images built again without cache; " : "") + "containers running (and healthy where they have a health check), the host's health URLs answer 2xx; release recorded in the ledger",
                OnFailure = kind == PlanKind.Rollback
                    ? $"stop; the remaining hosts keep their release. Read the failing service's last log lines (teafleet logs {environment.Name} SERVICE --host {host.Name}), fix and re-run, or escalate to a Type 2/3 rollback"
                    : $"stop; the remaining hosts keep their release. Read the logs (teafleet logs {environment.Name} SERVICE --host {host.Name}) and roll back with 'teafleet rollback {environment.Name}'",
            });

            var urls = environment.HealthUrlsOf(host);
            if (urls.Count > 0)
            {
                steps.Add(new HealthCheckStep(urls)
                {
                    Index = steps.Count + 1,
                    Host = host.Name,
                    Verification = "controller: every URL answers 2xx within 30 s",
                    OnFailure = isLast ? "stop and report" : "stop before the next host; the hosts after it keep their release",
                });
            }
        }
    }

    private static void AddEnvironmentHealth(List<PlanStep> steps, EnvironmentConfig environment, string onFailure)
    {
        if (environment.HealthUrls.Count > 0)
        {
            steps.Add(new HealthCheckStep(environment.HealthUrls)
            {
                Index = steps.Count + 1,
                Host = PlanStep.ControllerHost,
                Verification = $"controller: every health URL of '{environment.Name}' answers 2xx within 30 s",
                OnFailure = onFailure,
            });
        }
    }

    private static void AddStop(List<PlanStep> steps, EnvironmentConfig environment, IReadOnlyList<string> services, string why, string onFailure)
    {
        foreach (var host in environment.Hosts)
        {
            steps.Add(new StopServicesStep(services)
            {
                Index = steps.Count + 1,
                Host = host.Name,
                Verification = $"agent: {why}; the containers are stopped",
                OnFailure = onFailure,
            });
        }
    }

    /// <summary>
    /// The runbook checklist's "backup created post-rollback", for the rollbacks that changed the
    /// database (Type 2, Type 3): the state the app runs on now, kept once it answers again.
    /// </summary>
    private static PlanStep PostRollbackBackup(List<PlanStep> steps, EnvironmentConfig environment) =>
        FullBackup(steps, environment, "the database as the app runs on it now (runbook checklist: backup created post-rollback)",
            $"the rollback itself is done and the app answers; take the backup by hand once there is room: teafleet backup {environment.Name} --full",
            postRollback: true);

    /// <summary>A full, verified backup on the environment's database host, as the next step.</summary>
    private static PlanStep FullBackup(List<PlanStep> steps, EnvironmentConfig environment, string what, string onFailure, bool postRollback = false) =>
        new BackupStep(BackupKind.Full, postRollback)
        {
            Index = steps.Count + 1,
            Host = environment.DatabaseHost.Name,
            Verification = $"agent: {what}; full and verified (sha256, pg_restore --list)",
            OnFailure = onFailure,
        };

    private static PlanStep DatabaseCheck(List<PlanStep> steps, EnvironmentConfig environment, string expectHead, string onFailure) =>
        new CheckDatabaseStep(expectHead)
        {
            Index = steps.Count + 1,
            Host = environment.DatabaseHost.Name,
            Verification = $"controller: the database answers queries (tables and rows counted) and its Alembic head is {(expectHead.Length > 0 ? expectHead : "read back")}",
            OnFailure = onFailure,
        };

    /// <summary>Type 1 or 2, from the migration heads: the database's (and the current release's) against the target's.</summary>
    private async Task<TypeChoice> ChooseTypeAsync(EnvironmentConfig environment, string target, IReadOnlyList<HostLedger> ledgers, CancellationToken cancellationToken)
    {
        var status = await reader.GetMigrationStatusAsync(environment.DatabaseHost, target, cancellationToken).ConfigureAwait(false);
        var ledgerText = LedgerHeads(ledgers.First(l => l.Host == environment.DatabaseHost.Name), target);
        if (status is null)
        {
            return new TypeChoice(RollbackType.CodeOnly,
                $"{environment.DatabaseHost.Name} runs no migrations (Agent:Migrations is not configured there), so no database change is planned{ledgerText}", null);
        }

        var db = string.Join(",", status.DatabaseHeads);
        var wanted = string.Join(",", status.TargetHeads);
        if (status.DatabaseHeads.Count == 0)
        {
            return new TypeChoice(RollbackType.CodeOnly, $"the database has no Alembic revision yet: the target's start-up applies its migrations (head {Head(wanted)}){ledgerText}", status);
        }

        if (db == wanted)
        {
            return new TypeChoice(RollbackType.CodeOnly, $"the target's Alembic head {Head(wanted)} is the database's: no migration to revert{ledgerText}", status);
        }

        if (status.DowngradeSteps > 0)
        {
            return new TypeChoice(RollbackType.CodeAndDatabase,
                $"the database is at {Head(db)} and the target's head is {Head(wanted)}: {status.DowngradeSteps} migration(s) to revert first ({string.Join(", ", status.DowngradeRevisions)}){ledgerText}", status);
        }

        if (status.UpgradeSteps > 0)
        {
            return new TypeChoice(RollbackType.CodeOnly,
                $"the target's head {Head(wanted)} is {status.UpgradeSteps} migration(s) ahead of the database's {Head(db)}: its own start-up applies them{ledgerText}", status);
        }

        throw FleetException.BadInput(
            $"cannot plan a rollback to {Short(target)} by migrations: the database is at {Head(db)}, the target's head is {Head(wanted)}, and the live code ({Short(status.CodeCommit)}, heads {Head(string.Join(",", status.CodeHeads))}) has no downgrade path between them. {status.Detail}.",
            $"Restore a backup instead (Type 3): teafleet plan rollback {environment.Name} --type 3 [--before TIME | --backup ID]; 'teafleet migrations {environment.Name}' shows the state.");
    }

    private static string LedgerHeads(HostLedger ledger, string target)
    {
        var current = ledger.Releases.FirstOrDefault(r => r.Result == ReleaseResult.Succeeded);
        var wanted = ledger.Releases.FirstOrDefault(r => r.Commit == target && r.MigrationHead.Length > 0);
        return current is { MigrationHead.Length: > 0 } && wanted is not null
            ? $" (ledger of {ledger.Host}: release {current.Id} at {Short(current.Commit)} recorded {current.MigrationHead}, release {wanted.Id} at {Short(wanted.Commit)} recorded {wanted.MigrationHead})"
            : "";
    }

    /// <summary>
    /// Type 2 (runbook): stop frontend and backend, quick backup, migration check, downgrade with the live
    /// release's scripts, then the code switch host by host, the database query test and the health URLs.
    /// </summary>
    private async Task<Plan> BuildCodeAndDatabaseAsync(EnvironmentConfig environment, string target, IReadOnlyList<string> tags, IReadOnlyList<string> services,
        IReadOnlyDictionary<string, string> current, TypeChoice choice, CancellationToken cancellationToken)
    {
        var status = choice.Status!;
        var dbHost = environment.DatabaseHost.Name;
        var stop = await TrafficServicesAsync(environment, cancellationToken).ConfigureAwait(false);
        var steps = new List<PlanStep>();
        AddStop(steps, environment, stop, $"stop {TrafficText(stop)} (runbook Type 2 step 1, option A: no traffic reaches the app while its schema changes)",
            $"stop; start them again with 'teafleet rollback {environment.Name} --to {Short(status.CodeCommit)}' if you give up");
        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = steps.Count + 1,
            Host = dbHost,
            Verification = "agent: pg_dump complete, fsynced, catalogued with size and sha256 (the fresh backup the downgrade starts from)",
            OnFailure = "stop before any migration; free space in the backup directory (teafleet backups ENV --prune) and run again",
        });
        var backupStep = steps.Count;
        var from = string.Join(",", status.DatabaseHeads);
        var to = string.Join(",", status.TargetHeads);
        steps.Add(new CheckMigrationsStep(from)
        {
            Index = steps.Count + 1,
            Host = dbHost,
            Verification = $"agent: the live release's `alembic current` reads {from} and matches alembic_version",
            OnFailure = "stop before any migration; the database moved since the plan: plan again ('teafleet migrations ENV' shows the state)",
        });
        steps.Add(new DowngradeStep(status.DowngradeSteps, to, backupStep)
        {
            Index = steps.Count + 1,
            Host = dbHost,
            Verification = $"agent: `alembic downgrade {to}` with the scripts of the live release {Short(status.CodeCommit)} (before any checkout) reverts {string.Join(", ", status.DowngradeRevisions)}; alembic_version reads {to} after",
            Destructive = true,
            OnFailure = $"stop; the database may be half-way: run 'teafleet repair migration-failed {environment.Name}', or restore the quick backup of step {backupStep} (teafleet restore {environment.Name} ID)",
        });
        AddSwitchSteps(steps, PlanKind.Rollback, environment, target, services, noCache: false);
        steps.Add(DatabaseCheck(steps, environment, to, "stop and report; the app runs the old code: check its logs and the database ('teafleet migrations ENV')"));
        AddEnvironmentHealth(steps, environment, "stop and report; check the services' logs");
        steps.Add(PostRollbackBackup(steps, environment));
        var note = $"Type 2: data written since the reverted migrations ran is lost where it lives in what they add ({string.Join(", ", status.DowngradeRevisions)}); the quick backup of step {backupStep} keeps it. " +
                   "Blocking traffic with the firewall (runbook option B) comes with the firewall service; this plan stops frontend and backend instead (option A).";
        return new Plan(PlanKind.Rollback, RollbackType.CodeAndDatabase, environment.Name, target, tags, services, current, steps, note, choice.Reason);
    }

    /// <summary>The runbook's "stop frontend backend", as far as the hosts have them (else none named: the release services).</summary>
    private async Task<IReadOnlyList<string>> TrafficServicesAsync(EnvironmentConfig environment, CancellationToken cancellationToken)
    {
        var allowed = await reader.GetServicesAsync(environment.Hosts[0], cancellationToken).ConfigureAwait(false);
        return new[] { "frontend", "backend" }.Where(s => allowed.Contains(s, StringComparer.Ordinal)).ToList();
    }

    private static string TrafficText(IReadOnlyList<string> traffic) => traffic.Count > 0 ? string.Join(",", traffic) : "the app's services";

    /// <summary>
    /// Type 3 (runbook): the backup (by id, or the newest verified one before a time, or the newest
    /// verified), the release live when it was taken (its catalogue entry, else the ledger, else the
    /// commit log by time), then: stop the app, restore (safety backup first), switch the code with
    /// images built again without cache, check, smoke test. The plan carries the data-loss window.
    /// </summary>
    private async Task<Plan> PlanFullSystemAsync(EnvironmentConfig environment, RollbackRequest request, IReadOnlyList<HostLedger> ledgers,
        IReadOnlyDictionary<string, string> current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dbHost = environment.DatabaseHost;
        var backups = await reader.ListBackupsAsync(dbHost, cancellationToken).ConfigureAwait(false);
        var backup = SelectBackup(environment, request, backups, now);
        var takenAt = backup.TakenAt.ToDateTimeOffset();

        string target;
        IReadOnlyList<string> tags = [];
        string codeWhy;
        if (request.To is { } to)
        {
            var resolved = await ResolveEverywhereAsync(environment, to, cancellationToken).ConfigureAwait(false);
            (target, tags, codeWhy) = (resolved.Commit, resolved.Tags, $"the code target {to} was given with --to");
        }
        else if (backup.ReleaseCommit.Length > 0)
        {
            var resolved = await ResolveEverywhereAsync(environment, backup.ReleaseCommit, cancellationToken).ConfigureAwait(false);
            (target, tags, codeWhy) = (resolved.Commit, resolved.Tags, $"{Short(backup.ReleaseCommit)} was live on {dbHost.Name} when {backup.Id} was taken (the catalogue records it)");
        }
        else if (ledgers.First(l => l.Host == dbHost.Name).Releases
                     .Where(r => r.Result == ReleaseResult.Succeeded && r.StartedAt is not null && r.StartedAt.ToDateTimeOffset() <= takenAt)
                     .MaxBy(r => r.Id) is { } release)
        {
            (target, codeWhy) = (release.Commit, $"release {release.Id} ({Short(release.Commit)}) was the last to go live on {dbHost.Name} before the backup (ledger)");
        }
        else if (await reader.CommitAtAsync(dbHost, takenAt, cancellationToken).ConfigureAwait(false) is { } commit)
        {
            (target, tags, codeWhy) = (commit.Commit, commit.Tags, $"{Short(commit.Commit)} is the newest commit made before the backup (git log by time; the ledger has no release before it)");
        }
        else
        {
            throw FleetException.BadInput(
                $"cannot tell which code matches backup {backup.Id} (taken {takenAt:yyyy-MM-dd HH:mm:ss}Z): the catalogue, the ledger and the commit log know no release from before it.",
                $"Name the code with --to REF.");
        }

        var steps = new List<PlanStep>();
        AddStop(steps, environment, [], "stop the app's services (runbook Type 3 step 1, \"compose down\"; the database stays up for the restore)",
            $"stop; nothing was restored. Start them again with 'teafleet rollback {environment.Name} --to {Short(current.Values.FirstOrDefault() ?? "")}'");
        steps.Add(new RestoreStep(backup.Id)
        {
            Index = steps.Count + 1,
            Host = dbHost.Name,
            Verification = "agent: backup verified; safety backup of the current database taken and verified first; restored; tables and Alembic head read back",
            Destructive = true,
            OnFailure = "stop; the agent put the safety backup back (its id is in the step's result); the app stays stopped: restore by hand or escalate",
        });
        AddSwitchSteps(steps, PlanKind.Rollback, environment, target, request.Services, noCache: true);
        steps.Add(DatabaseCheck(steps, environment, backup.MigrationHead, "stop and report: the restored database does not match the backup's head"));
        AddEnvironmentHealth(steps, environment, "stop and report; check the services' logs");
        if (environment.Smoke is { } smoke)
        {
            steps.Add(new SmokeTestStep([.. smoke.Checks.Select(c => c.Name)], smoke.BaseUrl)
            {
                Index = steps.Count + 1,
                Host = PlanStep.ControllerHost,
                Verification = "controller: the inventory's smoke checks answer as expected (runbook Type 3 step 10: login, view data, create and delete a test record)",
                OnFailure = "stop and report: the app runs but fails its smoke test; do not let traffic in",
            });
        }

        steps.Add(PostRollbackBackup(steps, environment));
        var note = $"Type 3: restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {takenAt:yyyy-MM-dd HH:mm:ss}Z" +
                   (backup.MigrationHead.Length > 0 ? $", Alembic head {backup.MigrationHead}" : "") +
                   $") and switch the code to {Short(target)}: {codeWhy}. Data loss window: everything written after {takenAt:yyyy-MM-dd HH:mm:ss}Z ({DataLossWindow(now - takenAt)} before planning) is lost; the safety backup keeps it." +
                   (environment.Smoke is null ? " The inventory has no 'smoke:' for this environment: test login, reading, creating and deleting a record by hand." : "");
        var why = request.BackupId is not null ? $"--backup {request.BackupId} asks for a restore"
            : request.Before is { } before ? $"--before {before:yyyy-MM-dd HH:mm:ss}Z asks for the newest verified backup before that time"
            : "--type 3 asks for a restore of the newest verified backup";
        return new Plan(PlanKind.Rollback, RollbackType.FullSystem, environment.Name, target, tags, request.Services, current, steps, note, why, takenAt);
    }

    private static Backup SelectBackup(EnvironmentConfig environment, RollbackRequest request, IReadOnlyList<Backup> backups, DateTimeOffset now)
    {
        if (request.BackupId is { } id)
        {
            CheckNotAPath(environment, id);
            var named = backups.FirstOrDefault(b => b.Id == id)
                ?? throw FleetException.BadInput($"no backup '{id}' on {environment.DatabaseHost.Name} (environment '{environment.Name}'); nothing was changed.",
                    $"List the backups with 'teafleet backups {environment.Name}'.");
            return named.VerifyState == VerifyState.Failed
                ? throw FleetException.BadInput($"backup {named.Id} failed verification ({named.VerifyMessage}); it is never restored.", $"Choose another from 'teafleet backups {environment.Name}'.")
                : named;
        }

        var candidates = backups.Where(b => b.VerifyState == VerifyState.Verified).OrderByDescending(b => b.TakenAt.ToDateTimeOffset()).ToList();
        if (request.Before is { } before)
        {
            if (before > now)
            {
                throw FleetException.BadInput(
                    $"--before {before:yyyy-MM-dd HH:mm:ss}Z is in the future (it is now {now:yyyy-MM-dd HH:mm:ss}Z); nothing was changed.",
                    "Give the time the incident began (local time, or with an offset such as +01:00), e.g. --before \"2026-11-20 14:00\".");
            }

            var oldest = backups.Where(b => b.VerifyState != VerifyState.Failed).MinBy(b => b.TakenAt.ToDateTimeOffset());
            if (oldest is null || oldest.TakenAt.ToDateTimeOffset() >= before)
            {
                throw FleetException.BadInput(
                    $"no backup on {environment.DatabaseHost.Name} is older than {before:yyyy-MM-dd HH:mm:ss}Z" + (oldest is null ? " (there are none)" : $": the oldest, {oldest.Id}, was taken {oldest.TakenAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z") + "; nothing was changed.",
                    $"List the backups with 'teafleet backups {environment.Name}' and give a later time, or --backup ID.");
            }

            return candidates.FirstOrDefault(b => b.TakenAt.ToDateTimeOffset() < before)
                ?? throw FleetException.BadInput(
                    $"no verified backup on {environment.DatabaseHost.Name} was taken before {before:yyyy-MM-dd HH:mm:ss}Z (only unverified ones); nothing was changed.",
                    $"Verify one with 'teafleet backups {environment.Name} --verify ID', then plan again.");
        }

        return candidates.FirstOrDefault()
            ?? throw FleetException.BadInput($"no verified backup on {environment.DatabaseHost.Name}; nothing was changed.",
                $"Verify one with 'teafleet backups {environment.Name} --verify ID', or take one with 'teafleet backup {environment.Name} --full'.");
    }

    private static void CheckNotAPath(EnvironmentConfig environment, string backupId)
    {
        if (backupId.Contains('/', StringComparison.Ordinal) || backupId.Contains('\\', StringComparison.Ordinal) || backupId.EndsWith(".gz", StringComparison.Ordinal) || backupId.EndsWith(".dump", StringComparison.Ordinal))
        {
            throw FleetException.BadInput(
                $"'{backupId}' looks like a path; a restore takes a backup id from the catalogue, never a file.",
                $"List the backups with 'teafleet backups {environment.Name}' and give an id from the first column.");
        }
    }

    private static string Head(string heads) => heads.Length > 0 ? heads : "none";

    private async Task<ResolvedRef> ResolveEverywhereAsync(EnvironmentConfig environment, string reference, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsPlausibleRef(reference))
        {
            throw FleetException.BadInput($"'{reference}' is not a commit, tag or branch name.", "Write a commit hash (7-40 hex digits), a tag or a branch name.");
        }

        var results = await Task.WhenAll(environment.Hosts.Select(async h => (Host: h, Ref: await reader.ResolveAsync(h, reference, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var missing = results.Where(r => r.Ref is null).Select(r => r.Host.Name).ToList();
        if (missing.Count > 0)
        {
            throw FleetException.BadInput(
                $"'{reference}' does not exist on {string.Join(", ", missing)} (environment '{environment.Name}'); nothing was changed.",
                "Check the name (teafleet releases ENV lists what ran before), or fetch the app's repository on that host first.");
        }

        var commits = results.Select(r => r.Ref!.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count > 1)
        {
            throw FleetException.BadInput(
                $"'{reference}' means different commits on the hosts of '{environment.Name}': {string.Join(", ", results.Select(r => $"{r.Host.Name}={Short(r.Ref!.Commit)}"))}.",
                "Name a full commit hash instead.");
        }

        return results[0].Ref!;
    }

    private async Task CheckServicesAsync(EnvironmentConfig environment, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        if (services.Count == 0)
        {
            return;
        }

        var allowed = await Task.WhenAll(environment.Hosts.Select(async h => (Host: h, Services: await reader.GetServicesAsync(h, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (host, list) in allowed)
        {
            var unknown = services.Where(s => !list.Contains(s, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw FleetException.BadInput(
                    $"unknown service{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} on {host.Name}; it has: {string.Join(", ", list)}.",
                    "Pass --services with names from that list (comma-separated), or leave it out for all services.");
            }
        }
    }

    private static string Short(string commit) => commit.Length == 0 ? "(none)" : GitRefs.Short(commit);
}
