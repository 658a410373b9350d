using System.Text;
using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// The default rollback target, "the last good release": per host from its ledger, the newest release
/// before the current one (the newest entry, whatever its result: a failed deploy is the current one too)
/// that succeeded on every host of the environment and is not ahead of the database. Commits a later
/// rollback moved away from are skipped, so rolling back twice goes further back. All hosts must agree.
/// </summary>
public static class PreviousReleases
{
    /// <summary>The chosen commit and why: which candidates were skipped and for what.</summary>
    public sealed record Choice(string Commit, string Reason);

    public static async Task<Choice> ChooseAsync(FleetFacts facts, CancellationToken cancellationToken)
    {
        var environment = facts.Environment.Name;
        var ledgers = await facts.LedgersAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<(string Host, Release? Current, Release? Target, List<string> Skipped)>();
        var newest = Newest(ledgers);
        foreach (var ledger in ledgers)
        {
            var skipped = new List<string>();
            var current = ledger.Releases.OrderByDescending(r => r.Id).FirstOrDefault();
            Release? target = null;
            foreach (var candidate in Candidates(ledger, newest))
            {
                var why = await SkipAsync(facts, ledgers, candidate, cancellationToken).ConfigureAwait(false);
                if (why is null)
                {
                    target = candidate;
                    break;
                }

                var text = $"{PlanText.Short(candidate.Commit)} (release {candidate.Id}): {why}";
                if (!skipped.Contains(text, StringComparer.Ordinal))
                {
                    skipped.Add(text);
                }
            }

            views.Add((ledger.Host, current, target, skipped));
        }

        var missing = views.Where(v => v.Target is null).ToList();
        if (missing.Count > 0)
        {
            var skippedText = missing.SelectMany(m => m.Skipped).Distinct(StringComparer.Ordinal).ToList();
            throw FleetException.BadInput(
                $"environment '{environment}' has no earlier good release to roll back to on {string.Join(", ", missing.Select(m => m.Host))} " +
                $"(one that succeeded on every host before the current one and is not ahead of the database)" +
                (skippedText.Count > 0 ? $"; skipped {string.Join("; ", skippedText)}." : "."),
                $"Name the target: teafleet rollback {environment} --to <commit or tag>.");
        }

        var distinct = views.Select(v => v.Target!.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 1)
        {
            var text = new StringBuilder($"the hosts of '{environment}' disagree on the release to roll back to:");
            foreach (var v in views)
            {
                text.Append($"\n  {v.Host}: current {PlanText.Short(v.Current?.Commit ?? "")}, previous {PlanText.Short(v.Target!.Commit)} (release {v.Target.Id}, {v.Target.Kind})");
            }

            throw FleetException.BadInput(text.ToString(), $"Choose the target yourself: teafleet rollback {environment} --to <commit>.");
        }

        var reason = $"default target {PlanText.Short(distinct[0])}: the last good release before {PlanText.Short(newest?.Release.Commit ?? "")} " +
            $"({newest?.Release.Kind} {newest?.Release.Result.ToString().ToLowerInvariant()}, release {newest?.Release.Id} on {newest?.Host})";
        var skippedAll = views.SelectMany(v => v.Skipped).Distinct(StringComparer.Ordinal).ToList();
        return new Choice(distinct[0], skippedAll.Count > 0 ? $"{reason}; skipped {string.Join("; ", skippedAll)}" : reason);
    }

    /// <summary>The environment's current release: its newest ledger entry on any host, whatever its result (by start time, then id).</summary>
    public static (string Host, Release Release)? Newest(IReadOnlyList<HostLedger> ledgers) =>
        ledgers.SelectMany(l => l.Releases.Select(r => (l.Host, Release: r)))
            .OrderByDescending(x => x.Release.StartedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
            .ThenByDescending(x => x.Release.Id)
            .Select(x => ((string, Release)?)x)
            .FirstOrDefault();

    /// <summary>
    /// A host's succeeded releases, newest first, without the current release's commit and without commits a
    /// rollback moved away from. A rollback that did not succeed is the exception: its own target stays a
    /// candidate (trying it again is how it is rolled back).
    /// </summary>
    public static IEnumerable<Release> Candidates(HostLedger ledger, (string Host, Release Release)? current)
    {
        if (current is not { } now)
        {
            yield break;
        }

        var failedRollback = now.Release.Kind == PlanKind.Rollback.Word() && now.Release.Result != ReleaseResult.Succeeded;
        var abandoned = new HashSet<string>(StringComparer.Ordinal);
        if (failedRollback && now.Release.PreviousCommit.Length > 0)
        {
            abandoned.Add(now.Release.PreviousCommit);
        }

        foreach (var release in ledger.Releases.OrderByDescending(r => r.Id))
        {
            if (release.Kind == PlanKind.Rollback.Word() && release.PreviousCommit.Length > 0 && release.PreviousCommit != release.Commit)
            {
                abandoned.Add(release.PreviousCommit);
            }

            if (release.Result == ReleaseResult.Succeeded
                && (failedRollback || release.Commit != now.Release.Commit) && !abandoned.Contains(release.Commit))
            {
                yield return release;
            }
        }
    }

    /// <summary>Why a candidate is not the last good release (null: it is).</summary>
    private static async Task<string?> SkipAsync(FleetFacts facts, IReadOnlyList<HostLedger> ledgers, Release candidate, CancellationToken cancellationToken)
    {
        var notEverywhere = ledgers
            .Where(l => !l.Releases.Any(r => r.Commit == candidate.Commit && r.Result == ReleaseResult.Succeeded))
            .Select(l => l.Host)
            .ToList();
        if (notEverywhere.Count > 0)
        {
            return $"did not succeed on {string.Join(", ", notEverywhere)}";
        }

        var status = await facts.MigrationsAsync(candidate.Commit, cancellationToken).ConfigureAwait(false);
        return Ahead(status) ? $"ahead of the database ({AheadText(status!)})" : null;
    }

    /// <summary>Whether a target's head is one the database has not reached (the target would apply migrations: a deploy).</summary>
    public static bool Ahead(MigrationStatus? status) =>
        status is { DatabaseHeads.Count: > 0, UpgradeSteps: > 0 };

    /// <summary>"the database is at 0002, its head 0003 is 1 migration(s) further".</summary>
    public static string AheadText(MigrationStatus status) =>
        $"the database is at {PlanText.Head(string.Join(",", status.DatabaseHeads))}, its head {PlanText.Head(string.Join(",", status.TargetHeads))} is {status.UpgradeSteps} migration(s) further";
}
