using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Tests;

public sealed class IdleTrimmerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Trims_once_after_start_up_when_quiet_and_not_again_until_more_work()
    {
        var trimmer = new IdleTrimmer(new HostLock(_time), _time);
        Assert.False(trimmer.TrimIfQuiet());

        _time.Advance(IdleTrimmer.Quiet);
        Assert.True(trimmer.TrimIfQuiet());
        _time.Advance(IdleTrimmer.Quiet * 10);
        Assert.False(trimmer.TrimIfQuiet());
    }

    [Fact]
    public void Waits_while_a_call_is_in_flight_and_for_the_quiet_after_it()
    {
        var trimmer = new IdleTrimmer(new HostLock(_time), _time);
        _time.Advance(IdleTrimmer.Quiet);
        Assert.True(trimmer.TrimIfQuiet());

        trimmer.Enter();
        _time.Advance(IdleTrimmer.Quiet * 5);
        Assert.False(trimmer.TrimIfQuiet());
        trimmer.Exit();
        Assert.False(trimmer.TrimIfQuiet());
        _time.Advance(IdleTrimmer.Quiet);
        Assert.True(trimmer.TrimIfQuiet());
    }

    [Fact]
    public void Waits_while_an_operation_holds_the_host_lock()
    {
        var hostLock = new HostLock(_time);
        var trimmer = new IdleTrimmer(hostLock, _time);
        Assert.True(hostLock.TryAcquire("op-1", "services.recreate", "operator", out _));
        _time.Advance(IdleTrimmer.Quiet * 5);
        Assert.False(trimmer.TrimIfQuiet());

        hostLock.Release("op-1");
        Assert.True(trimmer.TrimIfQuiet());
    }
}
