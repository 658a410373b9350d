using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

public sealed partial class FleetFacts
{
    private readonly ReadOnce<string, string?> _checkouts = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts the reads every rollback plan makes first at once, so that they share the agents' connection
    /// set-up rather than wait for one another: each host's ledger, services and checkout, and the target ref on
    /// every host. Each read is kept and awaited where the plan uses it, and a read that fails is seen there.
    /// (Reads that depend on these, the migration status and the service sets, are left to the plan: started
    /// early they only contend for the agent's CPU.)
    /// </summary>
    public void Prefetch(string? reference, CancellationToken cancellationToken)
    {
        _ = LedgersAsync(cancellationToken);
        foreach (var host in environment.Hosts)
        {
            _ = RunningAsync(host, cancellationToken);
            _ = CheckoutOfAsync(host, cancellationToken);
        }

        if (reference is not null && GitRefs.IsPlausibleRef(reference))
        {
            _ = ResolveEverywhereAsync(reference, cancellationToken);
        }
    }

    /// <summary>A host's checkout commit, read once per plan; null when its agent cannot say.</summary>
    private Task<string?> CheckoutOfAsync(HostConfig host, CancellationToken cancellationToken) =>
        _checkouts.Get(host.Name, _ => ReadCheckoutAsync(host, cancellationToken));

    private async Task<string?> ReadCheckoutAsync(HostConfig host, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetCheckoutAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
