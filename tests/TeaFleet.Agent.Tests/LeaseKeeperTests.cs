using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>The lease keeper over a state dir, without gRPC: what belongs to a run, and a lease refused while another run's operation runs.</summary>
public sealed class LeaseKeeperTests
{
    [Theory]
    [InlineData("RUN.1.prod-1", true)]
    [InlineData("RUN.12.prod-2.retry", true)]
    [InlineData("RUN", false)]
    [InlineData("RUN.", false)]
    [InlineData("RUNX.1.prod-1", false)]
    [InlineData("OTHER.1.prod-1", false)]
    public void An_operation_belongs_to_a_run_when_its_id_is_the_run_id_and_a_dot_then_more(string operationId, bool belongs) =>
        Assert.Equal(belongs, Lease.BelongsTo(operationId, "RUN"));

    [Fact]
    public void A_run_cannot_take_the_lease_while_an_operation_of_another_run_holds_the_host()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        using var agent = new TestAgent(time: time);
        Assert.True(agent.Lock.TryAcquire("OLD.3.test-1", "services.recreate", "carol", out _));

        var refused = Assert.Throws<AgentException>(() => agent.Leases.Acquire("production", "NEW", "dave", "local", TimeSpan.FromMinutes(2)));
        Assert.Equal(FailureKind.Busy, refused.Kind);
        Assert.Contains("operation OLD.3.test-1 (services.recreate)", refused.Message);

        // Its own run's operation does not stand in the way (a resume while its step still runs).
        var resumed = agent.Leases.Acquire("production", "OLD", "carol", "local", TimeSpan.FromMinutes(2));
        Assert.Equal("OLD", resumed.Lease.RunId);
    }
}
