using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// What a host runs now, read from its containers (Services.List's <c>release</c> per service), not from the
/// ledger: the distinct commits of the containers of the release (with a known release; not a leftover the
/// checkout's release does not define; not a data service, which no switch recreates, so it keeps the release
/// it was created at), newest first by the host's ledger. One commit: the host runs that
/// release. Several: the host is <b>mixed</b> (a partial rollback, a switch that failed half-way). None: no
/// container tells (then the ledger's newest succeeded release stands in, as before).
/// </summary>
public static class RunningCommits
{
    /// <summary>The distinct commits the host's release containers run, in service order (no ledger to order them by).</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<ServiceStatus> services) =>
        services
            .Where(s => s.ContainerId.Length > 0 && s.Release.Length > 0 && !s.NotInRelease && !s.DataService)
            .Select(s => s.Release)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> Of(IReadOnlyList<ServiceStatus> services, HostLedger ledger)
    {
        var commits = Of(services);
        if (commits.Count == 0)
        {
            return ledger.CurrentCommit.Length > 0 ? [ledger.CurrentCommit] : [];
        }

        long Newest(string commit) => ledger.Releases.Where(r => r.Commit == commit).Select(r => r.Id).DefaultIfEmpty(0).Max();
        return commits.OrderByDescending(Newest).ThenBy(c => c, StringComparer.Ordinal).ToList();
    }

    /// <summary>The one commit that stands for the host where a single one is needed: the newest it runs ("" when none).</summary>
    public static string Newest(IReadOnlyList<string> commits) => commits.Count > 0 ? commits[0] : "";

    /// <summary>"5e9d2b7", "mixed (5e9d2b7, 1a2b3c4)", "(none)".</summary>
    public static string Text(IReadOnlyList<string> commits) =>
        commits.Count switch
        {
            0 => "(none)",
            1 => PlanText.Short(commits[0]),
            _ => $"mixed ({string.Join(", ", commits.Select(PlanText.Short))})",
        };
}
