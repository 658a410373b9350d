using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The environment lease through real gRPC calls to the agent's Program, with the agent's clock a
/// FakeTimeProvider: acquire, refuse, renew, release, lapse and take-over, a restart over the same
/// state dir, and a mutating operation of another run refused while the lease is held.
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class LeaseTests
{
    private const string RunA = "20261202-010203-production-aaaa";
    private const string RunB = "20261202-010304-production-bbbb";

    private static readonly DateTimeOffset Start = new(2026, 12, 2, 1, 2, 3, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AcquireLeaseRequest Acquire(string runId, string who, int ttlSeconds = 120) => new()
    {
        Environment = "production",
        RunId = runId,
        RequestedBy = who,
        Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(ttlSeconds)),
    };

    private static RenewLeaseRequest Renew(string runId, int ttlSeconds = 120) => new() { RunId = runId, Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(ttlSeconds)) };

    [Fact]
    public async Task A_second_run_is_refused_naming_the_holder_the_same_run_renews_and_only_the_holder_releases()
    {
        var time = new FakeTimeProvider(Start);
        await using var agent = InProcessAgent.Insecure();
        agent.Time = time;
        Assert.True(await agent.StartAsync(), agent.StartErrors);
        using var channel = agent.CreateChannel();
        var leases = new V1.Leases.LeasesClient(channel);

        var first = await leases.AcquireAsync(Acquire(RunA, "alice@laptop via teafleet rollback"), cancellationToken: Ct);
        Assert.True(first.Lease.Held);
        Assert.False(first.Renewed);
        Assert.Equal(RunA, first.Lease.RunId);
        Assert.Equal(Start, first.Lease.AcquiredAt.ToDateTimeOffset());
        Assert.Equal(Start.AddSeconds(120), first.Lease.ExpiresAt.ToDateTimeOffset());

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await leases.AcquireAsync(Acquire(RunB, "bob@desk via teafleet deploy"), cancellationToken: Ct));
        Assert.Equal(StatusCode.Aborted, refused.StatusCode);
        Assert.StartsWith($"production is held by {RunA} (alice@laptop via teafleet rollback, since 01:02:03 UTC, lease until 01:04:03 UTC)", refused.Status.Detail);
        Assert.Contains($"refuses run {RunB}", refused.Status.Detail);

        time.Advance(TimeSpan.FromSeconds(30));
        var again = await leases.AcquireAsync(Acquire(RunA, "alice@laptop via teafleet resume"), cancellationToken: Ct);
        Assert.True(again.Renewed);
        Assert.Equal(Start, again.Lease.AcquiredAt.ToDateTimeOffset());
        Assert.Equal(Start.AddSeconds(150), again.Lease.ExpiresAt.ToDateTimeOffset());

        time.Advance(TimeSpan.FromSeconds(30));
        var renewed = await leases.RenewAsync(Renew(RunA), cancellationToken: Ct);
        Assert.Equal(Start.AddSeconds(180), renewed.Lease.ExpiresAt.ToDateTimeOffset());

        var notTheirs = await Assert.ThrowsAsync<RpcException>(async () => await leases.ReleaseAsync(new ReleaseLeaseRequest { RunId = RunB }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, notTheirs.StatusCode);
        Assert.True((await leases.GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease.Held);

        var released = await leases.ReleaseAsync(new ReleaseLeaseRequest { RunId = RunA }, cancellationToken: Ct);
        Assert.True(released.Released);
        Assert.False(released.Lease.Held);
        Assert.NotNull(released.Lease.ReleasedAt);
        Assert.False((await leases.ReleaseAsync(new ReleaseLeaseRequest { RunId = RunA }, cancellationToken: Ct)).Released);

        var renewAfterRelease = await Assert.ThrowsAsync<RpcException>(async () => await leases.RenewAsync(Renew(RunA), cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, renewAfterRelease.StatusCode);

        var second = await leases.AcquireAsync(Acquire(RunB, "bob@desk via teafleet deploy"), cancellationToken: Ct);
        Assert.True(second.Lease.Held);
        Assert.Equal("", second.TookOverRunId);
    }

    [Fact]
    public async Task A_lease_not_renewed_lapses_by_the_agents_clock_and_another_run_takes_it_over()
    {
        var time = new FakeTimeProvider(Start);
        await using var agent = InProcessAgent.Insecure();
        agent.Time = time;
        Assert.True(await agent.StartAsync(), agent.StartErrors);
        using var channel = agent.CreateChannel();
        var leases = new V1.Leases.LeasesClient(channel);
        await leases.AcquireAsync(Acquire(RunA, "alice@laptop", ttlSeconds: 60), cancellationToken: Ct);

        time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<RpcException>(async () => await leases.AcquireAsync(Acquire(RunB, "bob@desk"), cancellationToken: Ct));
        Assert.True((await leases.GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease.Held);

        time.Advance(TimeSpan.FromSeconds(1));
        var lapsed = (await leases.GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease;
        Assert.False(lapsed.Held);
        Assert.Equal(RunA, lapsed.RunId);

        // The lapsed run may not revive it: something else may have run here meanwhile.
        var revive = await Assert.ThrowsAsync<RpcException>(async () => await leases.RenewAsync(Renew(RunA), cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, revive.StatusCode);
        Assert.Contains("lapsed at 01:03:03 UTC", revive.Status.Detail);

        var takeover = await leases.AcquireAsync(Acquire(RunB, "bob@desk"), cancellationToken: Ct);
        Assert.True(takeover.Lease.Held);
        Assert.Equal(RunA, takeover.TookOverRunId);
        Assert.Equal("alice@laptop", takeover.TookOverHolder);

        var lost = await Assert.ThrowsAsync<RpcException>(async () => await leases.RenewAsync(Renew(RunA), cancellationToken: Ct));
        Assert.Equal(StatusCode.Aborted, lost.StatusCode);
        Assert.Contains($"production is held by {RunB}", lost.Status.Detail);
    }

    [Fact]
    public async Task The_lease_survives_an_agent_restart_over_the_same_state_dir()
    {
        var time = new FakeTimeProvider(Start);
        var stateDir = Directory.CreateTempSubdirectory("teafleet-lease-state-").FullName;
        try
        {
            await using (var before = InProcessAgent.Insecure())
            {
                before.Time = time;
                before.Settings["Agent:StateDir"] = stateDir;
                Assert.True(await before.StartAsync(), before.StartErrors);
                using var channel = before.CreateChannel();
                await new V1.Leases.LeasesClient(channel).AcquireAsync(Acquire(RunA, "alice@laptop"), cancellationToken: Ct);
            }

            Assert.True(File.Exists(Path.Combine(stateDir, "lease.json")));
            Assert.StartsWith("{\"v\":2,\"environment\":\"production\",\"run_id\":\"" + RunA + "\"", File.ReadAllText(Path.Combine(stateDir, "lease.json")));
            time.Advance(TimeSpan.FromSeconds(10));
            await using var after = InProcessAgent.Insecure();
            after.Time = time;
            after.Settings["Agent:StateDir"] = stateDir;
            Assert.True(await after.StartAsync(), after.StartErrors);
            using var channelAfter = after.CreateChannel();
            var leases = new V1.Leases.LeasesClient(channelAfter);

            var lease = (await leases.GetAsync(new GetLeaseRequest(), cancellationToken: Ct)).Lease;
            Assert.True(lease.Held);
            Assert.Equal(RunA, lease.RunId);
            Assert.Equal(Start.AddSeconds(120), lease.ExpiresAt.ToDateTimeOffset());
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await leases.AcquireAsync(Acquire(RunB, "bob@desk"), cancellationToken: Ct));
            Assert.Equal(StatusCode.Aborted, refused.StatusCode);
            Assert.Equal(Start.AddSeconds(130), (await leases.RenewAsync(Renew(RunA), cancellationToken: Ct)).Lease.ExpiresAt.ToDateTimeOffset());
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task While_the_lease_is_held_a_mutating_operation_of_another_run_is_refused_and_one_of_the_holding_run_starts()
    {
        var time = new FakeTimeProvider(Start);
        await using var agent = InProcessAgent.Insecure();
        agent.Time = time;
        Assert.True(await agent.StartAsync(), agent.StartErrors);
        using var channel = agent.CreateChannel();
        var leases = new V1.Leases.LeasesClient(channel);
        var source = new V1.Source.SourceClient(channel);
        var operations = new V1.Operations.OperationsClient(channel);
        await leases.AcquireAsync(Acquire(RunA, "alice@laptop"), cancellationToken: Ct);

        foreach (var foreign in new[] { $"{RunB}.1.{InProcessAgent.HostName}", "no-run-at-all", RunA, $"{RunA}x.1.{InProcessAgent.HostName}" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => RunToEndAsync(source, foreign));
            Assert.Equal(StatusCode.Aborted, refused.StatusCode);
            Assert.StartsWith($"production is held by {RunA} (alice@laptop, since 01:02:03 UTC", refused.Status.Detail);
            Assert.Contains($"operation {foreign} does not belong to that run", refused.Status.Detail);
        }

        // The holding run's own operation starts (it fails: the test host has no checkout, which is not the lease's business).
        var own = await RunToEndAsync(source, $"{RunA}.1.{InProcessAgent.HostName}");
        Assert.True(own[^1].Final);
        var listed = (await operations.ListAsync(new ListOperationsRequest(), cancellationToken: Ct)).Operations;
        Assert.Equal([$"{RunA}.1.{InProcessAgent.HostName}"], listed.Select(o => o.OperationId));

        // A lapsed lease blocks nothing.
        time.Advance(TimeSpan.FromSeconds(121));
        var after = await RunToEndAsync(source, "no-run-at-all");
        Assert.True(after[^1].Final);
    }

    private static async Task<List<OperationEvent>> RunToEndAsync(V1.Source.SourceClient source, string operationId)
    {
        using var call = source.Fetch(new FetchSourceRequest { Header = new OperationHeader { OperationId = operationId, RequestedBy = "test" } }, cancellationToken: Ct);
        var events = new List<OperationEvent>();
        await foreach (var evt in call.ResponseStream.ReadAllAsync(Ct))
        {
            events.Add(evt);
        }

        return events;
    }
}
