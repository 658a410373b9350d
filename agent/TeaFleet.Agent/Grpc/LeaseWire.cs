using Google.Protobuf.WellKnownTypes;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The environment lease between the wire (TeaFleet.Agent.V1) and the agent's own record.</summary>
public static class LeaseWire
{
    /// <summary>The lease as the wire describes it; <paramref name="held"/> is judged by the agent's clock.</summary>
    public static V1.Lease ToWire(M.Lease? lease, bool held) => lease is null
        ? new V1.Lease()
        : new V1.Lease
        {
            Held = held,
            Environment = lease.Environment,
            RunId = lease.RunId,
            Holder = lease.Holder,
            AcquiredAt = Timestamp.FromDateTimeOffset(lease.AcquiredAt),
            RenewedAt = Timestamp.FromDateTimeOffset(lease.RenewedAt),
            ExpiresAt = Timestamp.FromDateTimeOffset(lease.ExpiresAt),
            ReleasedAt = OperationWire.Time(lease.ReleasedAt),
        };

    /// <summary>A request's ttl; none is zero, which the keeper refuses as too short.</summary>
    public static TimeSpan Ttl(Duration? ttl) => ttl?.ToTimeSpan() ?? TimeSpan.Zero;
}
