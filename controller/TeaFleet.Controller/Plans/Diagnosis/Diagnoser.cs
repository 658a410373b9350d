using System.Globalization;
using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// The runbook's decision matrix as a pure function of what was read (<see cref="DiagnosisFacts"/>): the
/// issue, its priority, the rollback type and the exact command, with the facts that led there. First match
/// wins: a failed migration; a database ahead of the code; services down or health URLs failing (worker only,
/// frontend only, else the application); logs full of errors (worker only, else performance); traffic TeaFleet
/// holds back (a block, the maintenance page); leftovers of a downgrade; nothing. Data corruption is never concluded: it is offered as the operator's call.
/// </summary>
public static class Diagnoser
{
    public const string NothingWrong = "nothing-wrong";

    public static Diagnosis Decide(DiagnosisFacts facts)
    {
        var env = facts.Environment;
        var list = Facts(facts);
        var down = Down(facts);
        var failedUrls = facts.Health.Where(h => !h.Ok).ToList();
        var noisy = facts.Logs.Where(l => l.Elevated).ToList();
        var migration = facts.Migration;
        var leftovers = LeftoversFinding(facts);
        var growing = Growing(facts);
        var findings = new List<Finding>();

        if (migration is { } m && (m.LastUpgradeFailed || m.State == MigrationState.Behind))
        {
            var why = new List<string>();
            if (m.LastUpgradeFailed)
            {
                why.Add($"{m.Host}: the last upgrade failed ({Op(m.LastUpgradeOperationId)}{m.LastUpgradeMessage})");
            }

            if (m.State == MigrationState.Behind)
            {
                why.Add($"{m.Host}: the database ({Heads(m.DatabaseHeads)}) is behind the live code's head ({Heads(m.CodeHeads)})");
            }

            why.AddRange(DownReasons(down, failedUrls));
            findings.Add(new Finding("migration-failed", "application + DB migration issues: a migration failed mid-way", Priority.Immediate, "scenario 2",
                $"teafleet repair migration-failed {env}", why));
        }
        else if (migration is { State: MigrationState.UnknownRevision } ahead)
        {
            var match = ReleaseWithHead(facts.Ledger, ahead.DatabaseHeads);
            var why = new List<string>
            {
                $"{ahead.Host}: the database is at {Heads(ahead.DatabaseHeads)}, a revision the live code ({PlanText.Short(ahead.CodeCommit)}, head {Heads(ahead.CodeHeads)}) does not know: the code is older than the database",
                match is null
                    ? "no release in the ledger has the database's head: deploy the release that migrated it (a deploy, not a rollback)"
                    : $"release {match.Id} ({PlanText.Short(match.Commit)}, {match.Kind}) has the database's head: deploying it brings code and database together (a deploy, not a rollback)",
            };
            why.AddRange(DownReasons(down, failedUrls));
            findings.Add(new Finding("database-ahead", "application + DB migration issues: the database is ahead of the code", down.Count > 0 || failedUrls.Count > 0 ? Priority.Immediate : Priority.CanWait,
                "deploy", match is null ? null : $"teafleet deploy {env} {match.Commit}", why));
        }
        else if (down.Count > 0 || failedUrls.Count > 0)
        {
            var names = down.Select(d => d.Service).Distinct(StringComparer.Ordinal).ToList();
            var why = DownReasons(down, failedUrls);
            why.AddRange(noisy.Select(NoisyReason));
            if (failedUrls.Count == 0 && names.All(IsWorker))
            {
                findings.Add(Worker(facts, why));
            }
            else if (names.Count > 0 && names.All(IsFrontend) && !noisy.Any(n => !IsFrontend(n.Service)))
            {
                findings.Add(new Finding("frontend-only", "frontend rendering issues, backend working", Priority.Immediate, "scenario 4",
                    $"teafleet rollback {env} --services {string.Join(",", names)}", why));
            }
            else
            {
                findings.Add(Crash(facts, why));
            }
        }
        else if (noisy.Count > 0 && noisy.All(n => IsWorker(n.Service)))
        {
            findings.Add(Worker(facts, noisy.Select(NoisyReason).ToList()));
        }
        else if (growing.Count > 0 && noisy.Count == 0)
        {
            findings.Add(Worker(facts, [.. growing.Select(g => $"{facts.DatabaseHost}: {g} while every service runs: the worker is not taking jobs")]));
        }
        else if (noisy.Count > 0)
        {
            var why = noisy.Select(NoisyReason).ToList();
            why.Add(facts.Health.Count > 0 ? "every health URL answered 2xx and every service runs" : "every service runs");
            findings.Add(new Finding("performance", "performance issues or errors, no DB changes", Priority.CanWait, "1", $"teafleet rollback {env}", why));
        }

        if (TrafficHeld.Of(facts) is { } held)
        {
            findings.Add(held);
        }

        if (leftovers is not null)
        {
            findings.Add(leftovers);
        }

        var main = findings.FirstOrDefault() ?? Nothing(facts, list);
        return new Diagnosis(main, findings.Skip(1).ToList(), [Corruption(facts)], list);
    }

    private static Finding Nothing(DiagnosisFacts facts, IReadOnlyList<DiagnosisFact> list)
    {
        var why = new List<string>();
        var unreachable = list.Where(f => f.Kind == "unreachable").Select(f => f.Host).ToList();
        if (unreachable.Count > 0)
        {
            why.Add($"not read: {string.Join(", ", unreachable)} (unreachable); nothing wrong on the hosts that answered");
        }

        why.Add("every release service runs and none is crash-looping");
        why.Add(facts.Health.Count > 0 ? $"all {facts.Health.Count} health URL(s) answered 2xx" : "no health URL checked");
        why.Add($"no service log has {LogErrors.Many} or more error lines in its tail");
        why.Add(facts.Migration is { } m ? $"the database is at the live code's head ({Heads(m.DatabaseHeads)})" : "no migration state (the database host runs no migrations, or could not say)");
        return new Finding(NothingWrong, "nothing wrong found", Priority.None, "none", null, why);
    }

    private static Finding Crash(DiagnosisFacts facts, List<string> why)
    {
        if (facts.LastGood is { } target)
        {
            return CrashTo(facts, target, why);
        }

        // The target was not read: from the ledger alone, Type 1 when the last good release has the
        // database's head (no DB changes since), Type 2 when its head differs.
        var lastGood = LastGood(facts.Ledger);
        var dbHeads = facts.Migration?.DatabaseHeads.ToList() ?? [];
        var type2 = lastGood is { MigrationHead.Length: > 0 } && dbHeads.Count > 0 && !SameHeads(lastGood.MigrationHead, dbHeads);
        if (facts.Migration is { } m)
        {
            why.Add($"{m.Host}: the database is at the live code's head ({Heads(m.DatabaseHeads)})");
        }

        if (lastGood is not null)
        {
            why.Add(type2
                ? $"the last good release {PlanText.Short(lastGood.Commit)} has head {lastGood.MigrationHead}, not the database's: the rollback downgrades the migrations first (Type 2)"
                : $"the last good release {PlanText.Short(lastGood.Commit)} is the rollback's default target{(lastGood.MigrationHead.Length > 0 ? $" (head {lastGood.MigrationHead}, the database's)" : "")}");
        }

        return type2
            ? new Finding("application-and-migration", "application + DB migration issues", Priority.Immediate, "2", $"teafleet rollback {facts.Environment}", why)
            : new Finding("application-crash", "application crash, no DB changes", Priority.Immediate, "1", $"teafleet rollback {facts.Environment}", why);
    }

    /// <summary>A crash with the rollback's own default target: Type 2 when it reverts migrations, else Type 1; none: name one.</summary>
    private static Finding CrashTo(DiagnosisFacts facts, LastGoodRelease target, List<string> why)
    {
        if (facts.Migration is { } m)
        {
            why.Add($"{m.Host}: the database is at the live code's head ({Heads(m.DatabaseHeads)})");
        }

        if (target.Commit is null)
        {
            why.Add(target.Why);
            return new Finding("application-crash", "application crash", Priority.Immediate, "1 or 2", $"teafleet rollback {facts.Environment} --to <commit or tag>", why);
        }

        var type2 = target.DowngradeSteps > 0;
        why.Add($"{target.Why}" + (type2 ? $"; it reverts {target.DowngradeSteps} migration(s) first (Type 2)" : "; same database head (Type 1)"));
        return type2
            ? new Finding("application-and-migration", "application + DB migration issues", Priority.Immediate, "2", $"teafleet rollback {facts.Environment}", why)
            : new Finding("application-crash", "application crash, no DB changes", Priority.Immediate, "1", $"teafleet rollback {facts.Environment}", why);
    }

    private static Finding Worker(DiagnosisFacts facts, List<string> why)
    {
        why.Add("the other services run and the health URLs answer");
        if (facts.Queue is { Configured: true, Reachable: true } q)
        {
            why.Add($"queue: {string.Join(", ", q.Queues.Select(x => $"{x.Name}={x.Length}"))} (the scenario clears the problematic jobs after stopping the worker)");
        }

        return new Finding("worker", "worker processing jobs incorrectly", Priority.Immediate, "scenario 3", $"teafleet scenario worker {facts.Environment}", why);
    }

    /// <summary>"tea:jobs grew from 3 to 9 in 5 s": each queue longer at the second read.</summary>
    private static List<string> Growing(DiagnosisFacts facts)
    {
        if (facts is not { Queue: { Configured: true, Reachable: true } first, QueueAgain: { Configured: true, Reachable: true } again })
        {
            return [];
        }

        var before = first.Queues.ToDictionary(q => q.Key, q => q.Length, StringComparer.Ordinal);
        return again.Queues.Where(q => before.TryGetValue(q.Key, out var was) && q.Length > was)
            .Select(q => $"{q.Key} grew from {before[q.Key]} to {q.Length} in {facts.QueueWait.TotalSeconds:0} s").ToList();
    }

    private static Finding? LeftoversFinding(DiagnosisFacts facts)
    {
        if (facts.Leftovers is not { Compared: true } l || !l.Differences.Any(d => d.Kind == SchemaDifferenceKind.Extra))
        {
            return null;
        }

        var extra = l.Differences.Where(d => d.Kind == SchemaDifferenceKind.Extra).Select(d => $"{d.ObjectType} {d.Name}").ToList();
        return new Finding("leftovers", "a downgrade left objects behind in the schema", Priority.CanWait, "repair", $"teafleet repair leftovers {facts.Environment}",
            [$"{facts.DatabaseHost}: {extra.Count} object(s) only in the live schema: {string.Join(", ", extra)} (a later upgrade would collide with them)"]);
    }

    /// <summary>Never concluded from the facts: the Type 3 to run if the operator confirms corrupted data.</summary>
    private static Finding Corruption(DiagnosisFacts facts)
    {
        var current = facts.Ledger is { } ledger ? PreviousReleases.Newest([ledger])?.Release : null;
        var before = current?.StartedAt?.ToDateTimeOffset();
        var command = before is { } t
            ? $"teafleet rollback {facts.Environment} --type 3 --before \"{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z\""
            : $"teafleet rollback {facts.Environment} --type 3";
        var why = new List<string> { "a machine cannot tell corrupted data reliably: only if an operator confirms it" };
        if (before is { } b)
        {
            why.Add($"--before the current release {PlanText.Short(current!.Commit)} started ({PlanText.Time(b)}): the newest verified backup from before it");
        }

        return new Finding("data-corruption", "data corruption suspected (operator's call)", Priority.Immediate, "3", command, why);
    }

    private static List<(string Host, string Service, string Why)> Down(DiagnosisFacts facts) =>
        facts.Hosts.SelectMany(h => h.Services
                .Where(s => !s.NotInRelease)
                .Select(s => (Service: s, Why: ServicesAfterRun.Down(s, facts.Now)))
                .Where(x => x.Why is not null && (x.Service.State == "running" || !h.OneShots.Contains(x.Service.Name)))
                .Select(x => (h.Host, x.Service.Name, WithRestarts(x.Service, x.Why!))))
            .ToList();

    /// <summary>"restarting, restarted 7 times": a crash loop's count, when Down's words do not say it already.</summary>
    private static string WithRestarts(ServiceStatus service, string why) =>
        service.RestartCount > 0 && !why.Contains("restarted", StringComparison.Ordinal) ? $"{why}, restarted {service.RestartCount} time(s)" : why;

    private static List<string> DownReasons(List<(string Host, string Service, string Why)> down, List<HealthAnswer> failedUrls) =>
        down.Select(d => $"{d.Host}: {d.Service} is down ({d.Why})")
            .Concat(failedUrls.Select(u => $"{u.Url} -> {u.Text}"))
            .ToList();

    private static string NoisyReason(LogErrors l) =>
        $"{l.Host}: {l.Service} has {l.Errors} error line(s) in its last {l.Lines} log lines";

    private static List<DiagnosisFact> Facts(DiagnosisFacts facts)
    {
        var list = new List<DiagnosisFact>();
        foreach (var h in facts.Hosts)
        {
            if (h.Unreachable is not null)
            {
                list.Add(new DiagnosisFact(h.Host, "unreachable", h.Unreachable, true));
                continue;
            }

            foreach (var s in h.Services.Where(s => !s.NotInRelease))
            {
                var why = ServicesAfterRun.Down(s, facts.Now);
                var oneShotDone = why is not null && s.State != "running" && h.OneShots.Contains(s.Name);
                var text = $"{s.Name}: {s.State}, health {s.Health}, restarts {s.RestartCount}{(s.Release.Length > 0 ? $", release {PlanText.Short(s.Release)}" : "")}{(oneShotDone ? " (one-shot, done)" : "")}";
                list.Add(why is null || oneShotDone ? new DiagnosisFact(h.Host, "service", text, false) : new DiagnosisFact(h.Host, "service-down", $"{text}: {WithRestarts(s, why)}", true));
            }

            list.AddRange(h.FailedOperations.Select(o => new DiagnosisFact(h.Host, "operation-failed",
                $"{o.Kind} {o.OperationId} {o.State.ToString().ToLowerInvariant()}{(o.EndedAt is { } e ? $" at {PlanText.Time(e.ToDateTimeOffset())}" : "")}: {o.Message}", true)));
        }

        list.AddRange(TrafficHeld.Facts(facts));
        list.AddRange(facts.Health.Select(a => new DiagnosisFact(a.Url.Host, "health-url", $"{a.Url} -> {a.Text}", !a.Ok)));
        list.AddRange(facts.Logs.Select(l => new DiagnosisFact(l.Host, "log-errors",
            $"{l.Service}: {l.Errors} of {l.Lines} lines look like errors{(l.Last.Count > 0 ? "; last: " + string.Join(" | ", l.Last) : "")}", l.Elevated)));
        if (facts.Migration is { } m)
        {
            var problem = m.LastUpgradeFailed || m.State is MigrationState.Behind or MigrationState.UnknownRevision;
            list.Add(new DiagnosisFact(m.Host, "migration",
                $"{m.State.ToString().ToLowerInvariant()}: database {Heads(m.DatabaseHeads)}, code {PlanText.Short(m.CodeCommit)} head {Heads(m.CodeHeads)}" +
                (m.LastUpgradeFailed ? $"; last upgrade failed ({Op(m.LastUpgradeOperationId)}{m.LastUpgradeMessage})" : ""), problem));
        }

        if (facts.Leftovers is { } l2)
        {
            var extra = l2.Differences.Count(d => d.Kind == SchemaDifferenceKind.Extra);
            list.Add(new DiagnosisFact(facts.DatabaseHost, "leftovers",
                l2.Compared ? $"{l2.Differences.Count} difference(s) against {l2.ReferenceBackupId}, {extra} left behind" : $"not compared: {l2.Reason}", l2.Compared && extra > 0));
        }

        if (facts.Queue is { } q)
        {
            var growing = Growing(facts);
            list.Add(new DiagnosisFact(facts.DatabaseHost, "queue",
                !q.Configured ? "not configured" : !q.Reachable ? $"Redis did not answer: {q.Error}"
                : string.Join(", ", q.Queues.Select(x => $"{x.Name}={x.Length}")) + (growing.Count > 0 ? $"; {string.Join("; ", growing)}" : facts.QueueAgain is null ? "" : $"; not growing over {facts.QueueWait.TotalSeconds:0} s"),
                growing.Count > 0));
        }

        return list;
    }

    private static Release? LastGood(HostLedger? ledger) =>
        ledger is null ? null : PreviousReleases.Candidates(ledger, PreviousReleases.Newest([ledger])).FirstOrDefault();

    private static Release? ReleaseWithHead(HostLedger? ledger, IReadOnlyCollection<string> heads) =>
        ledger?.Releases.Where(r => r.Result == ReleaseResult.Succeeded && r.MigrationHead.Length > 0 && SameHeads(r.MigrationHead, heads))
            .OrderByDescending(r => r.Id).FirstOrDefault();

    private static bool SameHeads(string releaseHead, IReadOnlyCollection<string> heads) =>
        releaseHead.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal).SetEquals(heads);

    private static bool IsWorker(string service) => service.Contains("worker", StringComparison.OrdinalIgnoreCase);

    private static bool IsFrontend(string service) => service.Contains("frontend", StringComparison.OrdinalIgnoreCase);

    private static string Heads(IEnumerable<string> heads) => PlanText.Head(string.Join(",", heads));

    private static string Op(string operationId) => operationId.Length > 0 ? operationId + ": " : "";
}
