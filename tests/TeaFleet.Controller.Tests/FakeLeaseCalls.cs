using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// The agents' lease calls as a test wants them: each host grants, unless it is set to refuse (held
/// by another run), to be unreachable, or to lose the lease on renewal. Records every call in order.
/// </summary>
public sealed class FakeLeaseCalls : ILeaseCalls
{
    private static readonly DateTimeOffset Since = new(2026, 12, 2, 1, 2, 3, TimeSpan.Zero);

    /// <summary>Host → the lease another run holds there (acquire is refused with ABORTED).</summary>
    public Dictionary<string, Lease> HeldByOthers { get; } = [];

    public HashSet<string> Unreachable { get; } = [];

    /// <summary>Hosts whose next renewal says another run took the lease over.</summary>
    public HashSet<string> TakenOver { get; } = [];

    public List<string> Calls { get; } = [];

    public static Lease Other(string environment, string runId, string holder) => new()
    {
        Held = true,
        Environment = environment,
        RunId = runId,
        Holder = holder,
        AcquiredAt = Timestamp.FromDateTimeOffset(Since),
        ExpiresAt = Timestamp.FromDateTimeOffset(Since.AddSeconds(120)),
    };

    public Task<AcquireLeaseResponse> AcquireAsync(HostConfig host, AcquireLeaseRequest request, CancellationToken cancellationToken)
    {
        Record($"acquire {host.Name} {request.RunId}");
        Fail(host);
        if (HeldByOthers.TryGetValue(host.Name, out var other))
        {
            throw new HostBusyException(host, $"{other.Environment} is held by {other.RunId}; host {host.Name} refuses run {request.RunId}.");
        }

        return Task.FromResult(new AcquireLeaseResponse
        {
            Lease = new Lease { Held = true, Environment = request.Environment, RunId = request.RunId, Holder = request.RequestedBy },
        });
    }

    public Task<Lease> RenewAsync(HostConfig host, RenewLeaseRequest request, CancellationToken cancellationToken)
    {
        Record($"renew {host.Name} {request.RunId}");
        Fail(host);
        if (TakenOver.Contains(host.Name))
        {
            throw new HostBusyException(host, $"production is held by OTHER; run {request.RunId} lost its lease on host {host.Name}.");
        }

        return Task.FromResult(new Lease { Held = true, RunId = request.RunId });
    }

    public Task ReleaseAsync(HostConfig host, ReleaseLeaseRequest request, CancellationToken cancellationToken)
    {
        Record($"release {host.Name} {request.RunId}");
        return Task.CompletedTask;
    }

    public Task<Lease> GetAsync(HostConfig host, CancellationToken cancellationToken)
    {
        Record($"get {host.Name}");
        Fail(host);
        return Task.FromResult(HeldByOthers.TryGetValue(host.Name, out var other) ? other : new Lease());
    }

    private void Record(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }

    private void Fail(HostConfig host)
    {
        if (Unreachable.Contains(host.Name))
        {
            throw new AgentUnreachableException(host, "connection refused");
        }
    }
}
