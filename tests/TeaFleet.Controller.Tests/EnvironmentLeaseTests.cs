using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Commands;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A run's hold on its environment: the lease on every host in inventory order or on none, the
/// refusal's words and exit code, the renewal, the stop before the next step when the lease may have
/// lapsed, and the release at the end. The agents' side runs for real in the agent's LeaseTests.
/// </summary>
public sealed class EnvironmentLeaseTests : IDisposable
{
    private const string Run = "20261202-011000-production-cccc";

    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 1, 10, 0, TimeSpan.Zero));
    private readonly FakeLeaseCalls _calls = new();

    public EnvironmentLeaseTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EnvironmentConfig Production => _inventory.FindEnvironment("production")!;

    private Task<EnvironmentLease> AcquireAsync() =>
        EnvironmentLease.AcquireAsync(_calls, Production, Run, "dave@desk via teafleet deploy", _inventory.Lease, _time, Ct);

    [Fact]
    public async Task The_lease_is_taken_on_every_host_in_inventory_order_and_released_on_every_host_at_the_end()
    {
        await using (var lease = await AcquireAsync())
        {
            Assert.Null(lease.Check());
            Assert.Equal(Run, lease.RunId);
        }

        Assert.Equal([$"acquire prod-1 {Run}", $"acquire prod-2 {Run}", $"release prod-1 {Run}", $"release prod-2 {Run}"], _calls.Calls);
    }

    [Fact]
    public async Task A_host_held_by_another_run_releases_what_was_taken_and_names_the_holder_with_exit_5()
    {
        _calls.HeldByOthers["prod-2"] = FakeLeaseCalls.Other("production", "20261202-010203-production-aaaa", "alice@laptop via teafleet rollback");

        var refused = await Assert.ThrowsAsync<EnvironmentHeldException>(AcquireAsync);

        Assert.Equal(ExitCodes.HostBusy, refused.ExitCode);
        Assert.Equal("production is held by 20261202-010203-production-aaaa (alice@laptop via teafleet rollback, since 01:02:03 UTC, lease until 01:04:03 UTC)", refused.Message);
        Assert.Contains("Nothing was changed", refused.Hint, StringComparison.Ordinal);
        Assert.Equal([$"acquire prod-1 {Run}", $"acquire prod-2 {Run}", $"release prod-1 {Run}", "get prod-2"], _calls.Calls);
    }

    [Fact]
    public async Task A_refusal_on_the_first_host_contacts_no_host_after_it()
    {
        _calls.HeldByOthers["prod-1"] = FakeLeaseCalls.Other("production", "OTHER", "alice@laptop");

        await Assert.ThrowsAsync<EnvironmentHeldException>(AcquireAsync);

        Assert.DoesNotContain(_calls.Calls, c => c.Contains("prod-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_host_fails_the_acquire_with_exit_3_after_releasing_what_was_taken()
    {
        _calls.Unreachable.Add("prod-2");

        var failed = await Assert.ThrowsAsync<AgentUnreachableException>(AcquireAsync);

        Assert.Equal(ExitCodes.Unreachable, failed.ExitCode);
        Assert.Contains($"release prod-1 {Run}", _calls.Calls);
    }

    [Fact]
    public async Task The_lease_is_renewed_in_the_background_and_a_host_that_cannot_be_renewed_for_a_ttl_stops_the_run()
    {
        await using var lease = await AcquireAsync();

        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => _calls.Calls.Count(c => c.StartsWith("renew", StringComparison.Ordinal)) == 2);
        Assert.Null(lease.Check());

        _calls.Unreachable.Add("prod-2");
        // prod-2's last renewal went out at 30 s; 120 s later (less a 5 s margin) it may have lapsed.
        await AdvanceAsync(TimeSpan.FromSeconds(110));
        Assert.Null(lease.Check());
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        var stop = lease.Check();
        Assert.NotNull(stop);
        Assert.Equal(ExitCodes.Unreachable, stop.ExitCode);
        Assert.Contains("the lease of production on prod-2 may have lapsed", stop.Message, StringComparison.Ordinal);
        Assert.Contains($"teafleet resume {Run}", stop.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lease_taken_over_by_another_run_stops_the_run_with_exit_5()
    {
        await using var lease = await AcquireAsync();
        _calls.TakenOver.Add("prod-1");

        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => lease.Check() is not null);

        var stop = lease.Check()!;
        Assert.Equal(ExitCodes.HostBusy, stop.ExitCode);
        Assert.Contains("the lease of production on prod-1 was taken over", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engine_stops_before_the_next_step_when_the_lease_says_so_and_the_run_can_be_resumed()
    {
        var ran = new List<int>();
        var plan = new Plan(PlanKind.Repair, RollbackType.None, "staging", "", [], [], new Dictionary<string, string>(), [Step(1), Step(2), Step(3)]);
        var runId = RunStore.NewRunId("staging", _time);
        RunOutcome outcome;
        using (var journal = RunJournal.Create(_dir.Path, runId))
        {
            journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = _time.GetUtcNow(), Plan = plan, Who = "test", Flags = new RunFlags("inv", true, false, null, null, "repair") });
            outcome = await new RunEngine([new Recording(ran)], _time).ExecuteAsync(_inventory, journal, plan, new HashSet<int>(), "test", "", new Quiet(), Ct,
                beforeStep: () => ran.Count >= 1 ? new FleetException(ExitCodes.HostBusy, "the lease of staging on staging-1 was taken over") : null);
        }

        Assert.Equal([1], ran);
        Assert.Equal(StepResult.Interrupted, outcome.Result);
        Assert.Equal(2, outcome.FailedStep!.Index);
        Assert.Equal(ExitCodes.HostBusy, outcome.ExitCode);
        var run = new RunStore(_dir.Path).Get(runId);
        Assert.NotEqual(StepResult.Succeeded, run.Result);
        Assert.Equal([2, 3], run.UnfinishedSteps.Select(s => s.Index));
    }

    [Fact]
    public async Task A_deploy_on_a_held_environment_exits_5_naming_the_holder_before_it_plans_or_writes_a_run()
    {
        var fleet = new FakeFleetReader().WithHistory(["staging-1", "prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.LeaseCalls.HeldByOthers["prod-1"] = FakeLeaseCalls.Other("production", "20261202-010203-production-aaaa", "alice@laptop via teafleet rollback");
        var (exit, output, error) = await CliRun.RunAsync(_time, fleet, "deploy", "production", Samples.C1, "--yes", "-i", _inventory.Path);
        var shown = output + error;

        Assert.Equal(ExitCodes.HostBusy, exit);
        Assert.Contains("production is held by 20261202-010203-production-aaaa (alice@laptop via teafleet rollback, since 01:02:03 UTC, lease until 01:04:03 UTC)", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("prod-2", string.Join(' ', fleet.LeaseCalls.Calls), StringComparison.Ordinal);
        Assert.DoesNotContain("services.recreate", shown, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "state", "runs")));
    }

    [Fact]
    public async Task Plan_takes_no_lease_and_says_who_holds_the_environment()
    {
        var fleet = new FakeFleetReader().WithHistory(["staging-1", "prod-1", "prod-2"], (Samples.C1, "deploy", ""), (Samples.C2, "deploy", Samples.C1));
        fleet.LeaseCalls.HeldByOthers["prod-1"] = FakeLeaseCalls.Other("production", "20261202-010203-production-aaaa", "alice@laptop via teafleet rollback");
        fleet.LeaseCalls.HeldByOthers["prod-2"] = FakeLeaseCalls.Other("production", "20261202-010203-production-aaaa", "alice@laptop via teafleet rollback");
        var (exit, output, error) = await CliRun.RunAsync(_time, fleet, "plan", "rollback", "production", "-i", _inventory.Path);
        var shown = output + error;

        Assert.Equal(0, exit);
        Assert.Contains("production is held by 20261202-010203-production-aaaa (alice@laptop via teafleet rollback, since 01:02:03 UTC, lease until 01:04:03 UTC) on prod-1, prod-2", shown, StringComparison.Ordinal);
        Assert.Equal(["get prod-1", "get prod-2"], fleet.LeaseCalls.Calls.Order());
    }

    private static PlanStep Step(int index) =>
        new HealthCheckStep([]) { Index = index, Host = PlanStep.ControllerHost, Verification = "", OnFailure = "", RunsIf = StepCondition.Always };

    /// <summary>Moves the fake clock in 5 s steps, letting the renewal loop run between them.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var t = TimeSpan.Zero; t < by; t += TimeSpan.FromSeconds(5))
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5, Ct);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for the renewal");
            await Task.Delay(10, Ct);
        }
    }

    private sealed class Recording(List<int> ran) : StepExecutor<HealthCheckStep>
    {
        public override Task<StepOutcome> ExecuteAsync(HealthCheckStep step, StepContext context, CancellationToken cancellationToken)
        {
            ran.Add(context.Step.Index);
            return Task.FromResult(StepOutcome.Success("ok"));
        }
    }

    private sealed class Quiet : IRunObserver
    {
        public void StepStarted(PlanStep step, string? operationId) { }

        public void StepProgress(PlanStep step, StepProgress progress) { }

        public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) { }

        public void Note(string message) { }
    }
}
