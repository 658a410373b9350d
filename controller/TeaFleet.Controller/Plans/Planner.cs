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
    public async Task<Plan> PlanRollbackAsync(EnvironmentConfig environment, string? to, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        await CheckServicesAsync(environment, services, cancellationToken).ConfigureAwait(false);
        var ledgers = await Task.WhenAll(environment.Hosts.Select(h => reader.GetLedgerAsync(h, cancellationToken))).ConfigureAwait(false);
        var current = ledgers.ToDictionary(l => l.Host, l => l.CurrentCommit, StringComparer.Ordinal);

        string target;
        IReadOnlyList<string> tags;
        if (to is not null)
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
            return new Plan(Plan.RollbackKind, RollbackType.CodeOnly, environment.Name, target, tags, services, current, [],
                $"nothing to do: every host of '{environment.Name}' already runs {Short(target)}.");
        }

        return Build(Plan.RollbackKind, RollbackType.CodeOnly, environment, target, tags, services, current);
    }

    public async Task<Plan> PlanDeployAsync(EnvironmentConfig environment, string reference, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        await CheckServicesAsync(environment, services, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveEverywhereAsync(environment, reference, cancellationToken).ConfigureAwait(false);
        var ledgers = await Task.WhenAll(environment.Hosts.Select(h => reader.GetLedgerAsync(h, cancellationToken))).ConfigureAwait(false);
        var current = ledgers.ToDictionary(l => l.Host, l => l.CurrentCommit, StringComparer.Ordinal);
        return Build(Plan.DeployKind, RollbackType.None, environment, resolved.Commit, resolved.Tags, services, current);
    }

    /// <summary>A backup of the environment's database on its database host (runbook: backup_db.sh [--quick]).</summary>
    public static Plan PlanBackup(EnvironmentConfig environment, string kind)
    {
        var host = environment.DatabaseHost;
        var step = new PlanStep(
            1,
            host.Name,
            PlanOperations.DatabaseBackup,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = kind },
            "agent: free space checked first; pg_dump complete, fsynced, renamed into place, size and sha256 in the catalogue" + (kind == "quick" ? "" : "; verified (sha256, pg_restore --list)"),
            Destructive: false,
            OnFailure: "stop; nothing half-written is catalogued. Free space in the backup directory or check the database");
        return new Plan(Plan.BackupKind, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            $"a {kind} backup of the database on {host.Name}");
    }

    /// <summary>
    /// A restore of one catalogued backup on the environment's database host: the agent verifies it,
    /// takes and verifies a safety backup, empties the database, restores and checks; then the
    /// environment's health URLs. Refuses an unknown id, a path, or a backup that failed verification.
    /// </summary>
    public async Task<Plan> PlanRestoreAsync(EnvironmentConfig environment, string backupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var host = environment.DatabaseHost;
        if (backupId.Contains('/', StringComparison.Ordinal) || backupId.Contains('\\', StringComparison.Ordinal) || backupId.EndsWith(".gz", StringComparison.Ordinal) || backupId.EndsWith(".dump", StringComparison.Ordinal))
        {
            throw FleetException.BadInput(
                $"'{backupId}' looks like a path; a restore takes a backup id from the catalogue, never a file.",
                $"List the backups with 'teafleet backups {environment.Name}' and give an id from the first column.");
        }

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
            new(1, host.Name, PlanOperations.DatabaseRestore,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["backup"] = backup.Id },
                "agent: backup verified; safety backup of the current database taken and verified first; restored; tables and Alembic head read back",
                Destructive: true,
                OnFailure: "stop; the safety backup (its id is in the step's result) holds the database as it was: restore it with 'teafleet restore ENV SAFETY_ID'"),
        };
        if (environment.HealthUrls.Count > 0)
        {
            steps.Add(new PlanStep(2, PlanStep.ControllerHost, PlanOperations.HealthCheck,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["urls"] = string.Join(" ", environment.HealthUrls) },
                $"controller: every health URL of '{environment.Name}' answers 2xx within 30 s",
                Destructive: false,
                OnFailure: "stop and report; the app may need the code of the backup's release (its release is in the plan's note)"));
        }

        var note = $"restore {backup.Id} ({BackupKinds.Name(backup.Kind)}, taken {takenAt:yyyy-MM-dd HH:mm:ss}Z" +
                   (backup.ReleaseCommit.Length > 0 ? $", release {Short(backup.ReleaseCommit)}" : "") +
                   (backup.MigrationHead.Length > 0 ? $", Alembic head {backup.MigrationHead}" : "") +
                   $"). Data loss window: everything written after {takenAt:yyyy-MM-dd HH:mm:ss}Z ({DataLossWindow(now - takenAt)}) is lost.";
        return new Plan(Plan.RestoreKind, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps, note);
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
            if (release.Kind == Plan.RollbackKind && release.PreviousCommit.Length > 0 && release.PreviousCommit != release.Commit)
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

    private Plan Build(string kind, RollbackType type, EnvironmentConfig environment, string target, IReadOnlyList<string> tags, IReadOnlyList<string> services, IReadOnlyDictionary<string, string> current)
    {
        var steps = new List<PlanStep>();
        var servicesText = services.Count == 0 ? Plan.DefaultServices : string.Join(",", services);
        foreach (var host in environment.Hosts)
        {
            var isLast = host == environment.Hosts[^1];
            steps.Add(new PlanStep(
                steps.Count + 1,
                host.Name,
                PlanOperations.ServicesRecreate,
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["services"] = servicesText,
                    ["commit"] = target,
                    ["kind"] = kind,
                },
                "agent: containers running (and healthy where they have a health check), the host's health URLs answer 2xx; release recorded in the ledger",
                Destructive: false,
                OnFailure: kind == Plan.RollbackKind
                    ? $"stop; the remaining hosts keep their release. Read the failing service's last log lines (teafleet logs {environment.Name} SERVICE --host {host.Name}), fix and re-run, or escalate to a Type 2/3 rollback"
                    : $"stop; the remaining hosts keep their release. Read the logs (teafleet logs {environment.Name} SERVICE --host {host.Name}) and roll back with 'teafleet rollback {environment.Name}'"));

            var urls = environment.HealthUrlsOf(host);
            if (urls.Count > 0)
            {
                steps.Add(new PlanStep(
                    steps.Count + 1,
                    host.Name,
                    PlanOperations.HealthCheck,
                    new Dictionary<string, string>(StringComparer.Ordinal) { ["urls"] = string.Join(" ", urls) },
                    "controller: every URL answers 2xx within 30 s",
                    Destructive: false,
                    OnFailure: isLast ? "stop and report" : "stop before the next host; the hosts after it keep their release"));
            }
        }

        if (environment.HealthUrls.Count > 0)
        {
            steps.Add(new PlanStep(
                steps.Count + 1,
                PlanStep.ControllerHost,
                PlanOperations.HealthCheck,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["urls"] = string.Join(" ", environment.HealthUrls) },
                $"controller: every health URL of '{environment.Name}' answers 2xx within 30 s",
                Destructive: false,
                OnFailure: "stop and report; check the services' logs"));
        }

        return new Plan(kind, type, environment.Name, target, tags, services, current, steps);
    }

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
