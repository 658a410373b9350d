using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;

namespace TeaFleet.Controller.Output;

/// <summary>What is said about environment leases: the one a run took, and the holder a plan or status finds.</summary>
public static class LeasePrinter
{
    public static void Acquired(CommandOutput output, EnvironmentLease lease)
    {
        var hosts = lease.Environment.Hosts.Select(h => h.Name).ToList();
        if (output.IsJson)
        {
            // --json stays as it was (the plan first) unless there is news: a lapsed lease taken over.
            if (lease.TookOver.Count == 0)
            {
                return;
            }

            output.Json(new
            {
                type = "lease",
                environment = lease.Environment.Name,
                run_id = lease.RunId,
                hosts,
                ttl_seconds = (int)lease.Policy.Ttl.TotalSeconds,
                renew_every_seconds = (int)lease.Policy.RenewEvery.TotalSeconds,
                took_over = lease.TookOver.Select(t => new { host = t.Host, run_id = t.RunId, holder = t.Holder }),
            });
            return;
        }

        output.Line($"[grey]Holding {CommandOutput.Esc(lease.Environment.Name)} for run {CommandOutput.Esc(lease.RunId)} on {CommandOutput.Esc(string.Join(", ", hosts))} (lease {lease.Policy.Ttl.TotalSeconds:0} s, renewed every {lease.Policy.RenewEvery.TotalSeconds:0} s).[/]");
        foreach (var (host, runId, holder) in lease.TookOver)
        {
            output.Line($"[yellow]{CommandOutput.Esc(host)}: took over the lapsed lease of run {CommandOutput.Esc(runId)} ({CommandOutput.Esc(holder)}); its controller stopped renewing it.[/]");
        }
    }

    /// <summary>For 'plan': who holds the environment now, if anyone (the plan itself takes no lease).</summary>
    public static void Holders(CommandOutput output, string environment, IReadOnlyList<(string Host, Lease Lease)> leases)
    {
        var held = leases.Where(l => l.Lease.Held).ToList();
        if (held.Count == 0)
        {
            return;
        }

        if (output.IsJson)
        {
            output.Json(new
            {
                type = "lease_held",
                environment,
                hosts = held.Select(l => new { host = l.Host, run_id = l.Lease.RunId, holder = l.Lease.Holder, acquired_at = l.Lease.AcquiredAt?.ToDateTimeOffset(), expires_at = l.Lease.ExpiresAt?.ToDateTimeOffset() }),
            });
            return;
        }

        foreach (var text in held.GroupBy(l => l.Lease.RunId, StringComparer.Ordinal).Select(g => $"{LeaseText.Held(g.First().Lease)} on {string.Join(", ", g.Select(l => l.Host))}"))
        {
            output.Line($"[yellow]{CommandOutput.Esc(text)}: running this plan now would be refused until that run ends.[/]");
        }
    }
}
