using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Leases;

/// <summary>What an acquire gave: the lease, whether its run already held it, and the lapsed lease it took over, if any.</summary>
public sealed record LeaseGrant(Lease Lease, bool Renewed, Lease? TookOver);
