using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Agents;

/// <summary>How a lease is said, in errors, the plan and status: "production is held by RUN (alice@laptop, since 01:02:03 UTC, lease until 01:04:03 UTC)".</summary>
public static class LeaseText
{
    public static string Held(Lease lease) =>
        $"{lease.Environment} is held by {lease.RunId} ({lease.Holder}, since {Time(lease.AcquiredAt)} UTC, lease until {Time(lease.ExpiresAt)} UTC)";

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "?" : time.ToDateTimeOffset().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
