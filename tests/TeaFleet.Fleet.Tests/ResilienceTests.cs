using System.Diagnostics;
using System.Text.Json;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>Crashes and contention: the controller killed, two controllers at once, the agent killed.</summary>
public sealed class ResilienceTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_controller_killed_mid_rollback_leaves_the_agent_to_finish_and_a_rerun_does_not_run_it_again()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");
        var releases = new Releases.ReleasesClient(fleet.Agent(fleet.Staging));
        var releasesBefore = (await releases.ListAsync(new ListReleasesRequest { Limit = 10_000 }, cancellationToken: Ct)).Releases.Count;

        using var controller = Processes.Start(fleet.Cli, ["rollback", "staging", "--yes", "--json", "-i", inventory]);
        var (runId, operationId) = await WaitForOperationAsync(controller);
        controller.Kill();
        await controller.WaitForExitAsync(Ct);
        try
        {
            await WatchAndResumeAsync(runId, operationId, inventory, releases, releasesBefore);
        }
        finally
        {
            await fleet.ReleaseLeaseAsync(runId, fleet.Staging);
        }
    }

    private async Task WatchAndResumeAsync(string runId, string operationId, string inventory, Releases.ReleasesClient releases, int releasesBefore)
    {
        var watched = await fleet.TeaFleetAsync(inventory, "watch", "staging-1", operationId);
        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));

        var operations = new Operations.OperationsClient(fleet.Agent(fleet.Staging));
        var finished = (await operations.GetAsync(new GetOperationRequest { OperationId = operationId }, cancellationToken: Ct)).Operation;
        Assert.Equal(OperationState.Succeeded, finished.State);

        var resumed = await fleet.TeaFleetAsync(inventory, "resume", runId);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var again = (await operations.GetAsync(new GetOperationRequest { OperationId = operationId }, cancellationToken: Ct)).Operation;
        Assert.Equal(finished.LastSequence, again.LastSequence);
        Assert.Equal(finished.EndedAt, again.EndedAt);
        var releasesAfter = (await releases.ListAsync(new ListReleasesRequest { Limit = 10_000 }, cancellationToken: Ct)).Releases;
        Assert.Equal(releasesBefore + 1, releasesAfter.Count);
        Assert.Equal(operationId, releasesAfter[0].OperationId);
    }

    [Fact]
    public async Task Two_controllers_at_once_on_one_host_one_runs_and_the_other_is_told_which_run_holds_the_environment()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");

        using var first = Processes.Start(fleet.Cli, ["deploy", "staging", "v2", "--yes", "--json", "-i", inventory]);
        var (runId, _) = await WaitForOperationAsync(first);
        var second = await fleet.TeaFleetAsync(inventory, "deploy", "staging", "v1", "--yes");
        var firstOutput = await first.StandardOutput.ReadToEndAsync(Ct);
        await first.WaitForExitAsync(Ct);

        // The environment lease refuses the second before it plans (the host lock would have caught it later).
        Assert.Equal(5, second.ExitCode);
        Assert.Contains($"staging is held by {runId} (", second.All);
        Assert.True(first.ExitCode == 0, firstOutput);
        Assert.Equal(fleet.Commits["v2"], await fleet.BackendCommitAsync(fleet.Staging));
    }

    [Fact]
    public async Task An_agent_killed_and_restarted_keeps_its_ledger()
    {
        var host = fleet.Staging;
        var releases = new Releases.ReleasesClient(fleet.Agent(host));
        var before = await releases.ListAsync(new ListReleasesRequest { Limit = 1000 }, cancellationToken: Ct);
        Assert.NotEmpty(before.Releases);
        var pid = int.Parse(File.ReadAllText(host.AgentPidFile).Trim());

        Process.GetProcessById(pid).Kill();
        await fleet.UpAsync(host);

        Assert.NotEqual(pid, int.Parse(File.ReadAllText(host.AgentPidFile).Trim()));
        var after = await releases.ListAsync(new ListReleasesRequest { Limit = 1000 }, cancellationToken: Ct);
        Assert.Equal(before.Releases, after.Releases);
        Assert.Equal(before.CurrentCommit, after.CurrentCommit);
    }

    /// <summary>Reads the controller's JSON lines until the agent reports the operation's first step.</summary>
    private static async Task<(string RunId, string OperationId)> WaitForOperationAsync(Process controller)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        string? operationId = null;
        while (await controller.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("operation_id", out var op) && op.ValueKind == JsonValueKind.String)
            {
                // Announced on step_started, before the agent's events.
                operationId = op.GetString();
            }

            if (operationId is not null && root.TryGetProperty("type", out var type) && type.GetString() == "event" &&
                root.TryGetProperty("step_name", out var step) && step.GetString() == "checkout")
            {
                return (root.GetProperty("run_id").GetString()!, operationId);
            }
        }

        throw new InvalidOperationException("the controller ended before it started an operation: " + await controller.StandardError.ReadToEndAsync());
    }
}
