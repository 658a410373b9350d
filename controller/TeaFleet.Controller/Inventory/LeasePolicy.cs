namespace TeaFleet.Controller.Inventory;

/// <summary>
/// How a run holds its environment ('lease:' in the inventory): the lease lives <see cref="Ttl"/> on
/// each agent without a renewal and the controller renews it every <see cref="RenewEvery"/>. A
/// controller that dies frees the environment after at most Ttl.
/// </summary>
public sealed record LeasePolicy(TimeSpan Ttl, TimeSpan RenewEvery)
{
    public static LeasePolicy Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30));

    /// <summary>The agent's bounds on a lease's life.</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);
}
