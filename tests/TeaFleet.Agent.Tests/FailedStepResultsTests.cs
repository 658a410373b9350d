using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// A step that fails can hand results to the failed final event (a downgrade says whether the database
/// changed), next to "failed_step"; the message is the operation's, as the last failed downgrade shows it.
/// </summary>
public sealed class FailedStepResultsTests
{
    [Fact]
    public async Task The_results_of_a_failed_step_reach_the_final_event_beside_the_failed_step()
    {
        using var agent = new TestAgent();
        var record = agent.Manager.Start(new OperationHeader("op-down", RequestedBy: "alice"), OperationKinds.MigrationsDowngrade, "", "tester", _ =>
            throw new StepFailedException("downgrade", "RuntimeError; the database is unchanged (still at c7f04d1a9e36)")
            {
                Results = new Dictionary<string, string> { [OperationResultKeys.Changed] = "false", [OperationResultKeys.Revision] = "c7f04d1a9e36" },
            });

        var events = new List<OperationEvent>();
        await foreach (var evt in record.WatchAsync(0, TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        var final = events[^1];
        Assert.True(final.Final);
        Assert.Equal(OperationPhase.Failed, final.Phase);
        Assert.Equal("false", final.Data[OperationResultKeys.Changed]);
        Assert.Equal("c7f04d1a9e36", final.Data[OperationResultKeys.Revision]);
        Assert.Equal("downgrade", final.Data[OperationResultKeys.FailedStep]);
        Assert.Contains("the database is unchanged (still at c7f04d1a9e36)", record.Snapshot().Message, StringComparison.Ordinal);
    }
}
