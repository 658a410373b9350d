using System.Text;
using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>The default rollback target: per host from its ledger, the release before the current one; all hosts must agree.</summary>
public static class PreviousReleases
{
    /// <summary>The commit every host's ledger names as the release before the current one; bad input when a host has none or they disagree.</summary>
    public static string CommonTarget(string environment, IReadOnlyList<HostLedger> ledgers)
    {
        var views = ledgers.Select(l => (l.Host, Current: l.CurrentCommit, Target: Of(l))).ToList();
        var missing = views.Where(v => v.Target is null).ToList();
        if (missing.Count > 0)
        {
            throw FleetException.BadInput(
                $"environment '{environment}' has no earlier release to roll back to on {string.Join(", ", missing.Select(m => m.Host))} " +
                $"(the ledger needs a succeeded release with another commit before the current one).",
                $"Name the target: teafleet rollback {environment} --to <commit or tag>.");
        }

        var distinct = views.Select(v => v.Target!.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 1)
        {
            var text = new StringBuilder($"the hosts of '{environment}' disagree on the release to roll back to:");
            foreach (var v in views)
            {
                text.Append($"\n  {v.Host}: current {PlanText.Short(v.Current)}, previous {PlanText.Short(v.Target!.Commit)} (release {v.Target.Id}, {v.Target.Kind})");
            }

            throw FleetException.BadInput(text.ToString(), $"Choose the target yourself: teafleet rollback {environment} --to <commit>.");
        }

        return distinct[0];
    }

    /// <summary>
    /// The release before the current one: the newest succeeded release older than the current (newest
    /// succeeded) one with a different commit, skipping commits a later rollback moved away from.
    /// </summary>
    public static Release? Of(HostLedger ledger)
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
}
