namespace TeaFleet.Controller.Plans;

/// <summary>
/// A Type 2 of named services puts the database back under every service, so a service the run leaves
/// running on newer code would meet a schema older than the one it was written for (the backend kept on
/// the newer release after `rollback --to X --services frontend`). Such a plan is refused before anything
/// changes unless the named services take every running release service along: all but data services,
/// one-shots (they ran to completion) and the frontend role's services (the runbook's frontend never
/// talks to the database). A host whose agent cannot read its release's services is not checked.
/// </summary>
internal static class SchemaUsers
{
    public static async Task CheckAsync(FleetFacts facts, string target, IReadOnlyList<string> named, string release, TypeChoice choice, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var current = await facts.CurrentCommitsAsync(cancellationToken).ConfigureAwait(false);
        var left = new List<string>();
        var where = new List<string>();
        var gone = new List<string>();
        foreach (var host in environment.Hosts)
        {
            var live = current.GetValueOrDefault(host.Name, "");
            var set = await facts.ServiceSetAsync(host, live, cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                continue;
            }

            var running = await facts.RunningAsync(host, cancellationToken).ConfigureAwait(false);
            var kept = running
                .Where(s => s.ContainerId.Length > 0 && s.State is "running" or "restarting" && s.Release != target)
                .Where(s => !named.Contains(s.Name, StringComparer.Ordinal) && !environment.Roles.Frontend.Contains(s.Name, StringComparer.Ordinal))
                .Where(s => set.Services.FirstOrDefault(d => d.Name == s.Name) is { DataService: false, OneShot: false })
                .Select(s => s.Name)
                .ToList();
            if (kept.Count > 0)
            {
                where.Add($"{host.Name} ({PlanText.Short(live)})");
                left.AddRange(kept.Where(k => !left.Contains(k, StringComparer.Ordinal)));
                var after = await facts.ServiceSetAsync(host, target, cancellationToken).ConfigureAwait(false);
                gone.AddRange(kept.Where(k => after is not null && after.Services.All(d => d.Name != k) && !gone.Contains(k, StringComparer.Ordinal)));
            }
        }

        if (left.Count == 0)
        {
            return;
        }

        var heads = choice.Status is { } status ? PlanText.Head(string.Join(",", status.TargetHeads)) : "the target's head";
        var all = named.Concat(left).ToList();
        var hint = gone.Count > 0
            ? $"Leave --services out: teafleet rollback {environment.Name} --to {release} (every service goes back, and {string.Join(", ", gone)}, which {release} does not define, is removed)."
            : $"Take them along: teafleet rollback {environment.Name} --to {release} --services {string.Join(",", all)}; or leave --services out (every service goes back).";
        throw FleetException.BadInput(
            $"a Type 2 rollback puts the database back to {heads} under every service, but {string.Join(", ", left)} would keep running newer code on it on {string.Join(", ", where)}: code written for the newer schema; nothing was changed.",
            $"{hint} Only the frontend's services (the inventory's roles: frontend) may keep their release.");
    }
}
