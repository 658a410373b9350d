using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Migrations;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// Migrations.Status's last good release (MigrationStatusReader.WithLastGood) from a real ledger on
/// disk: the newest succeeded release and the head its scripts had, never a newer failed one.
/// </summary>
public sealed class LastGoodReleaseTests
{
    [Fact]
    public void A_failed_newest_release_is_passed_over_for_the_older_succeeded_one_and_its_recorded_head()
    {
        using var agent = new TestAgent();
        Release(agent, 'a', "0001", ReleaseResult.Succeeded);
        Release(agent, 'b', "0002", ReleaseResult.Succeeded);
        Release(agent, 'c', "0003", ReleaseResult.Failed);

        var status = MigrationStatusReader.WithLastGood(new MigrationStatus(), agent.Ledger);

        Assert.Equal(new string('b', 40), status.LastGoodCommit);
        Assert.Equal("0002", status.LastGoodHead);
    }

    [Fact]
    public void A_release_cut_short_by_a_crash_does_not_count_and_a_head_not_recorded_stays_empty()
    {
        var agent = new TestAgent();
        Release(agent, 'a', "", ReleaseResult.Succeeded);
        agent.Ledger.Begin(new Release { Commit = new string('b', 40), Kind = "deploy", MigrationHead = "0002" });

        using var restarted = agent.Restart();
        var status = MigrationStatusReader.WithLastGood(new MigrationStatus(), restarted.Ledger);

        Assert.Equal(ReleaseResult.Interrupted, restarted.Ledger.List(1)[0].Result);
        Assert.Equal(new string('a', 40), status.LastGoodCommit);
        Assert.Equal("", status.LastGoodHead);
    }

    [Fact]
    public void Without_a_succeeded_release_both_are_empty()
    {
        using var agent = new TestAgent();
        Release(agent, 'a', "0001", ReleaseResult.Failed);

        var status = MigrationStatusReader.WithLastGood(new MigrationStatus(), agent.Ledger);

        Assert.Equal("", status.LastGoodCommit);
        Assert.Equal("", status.LastGoodHead);
    }

    private static void Release(TestAgent agent, char commit, string head, ReleaseResult result)
    {
        var release = agent.Ledger.Begin(new Release { Commit = new string(commit, 40), Kind = "deploy", MigrationHead = head });
        agent.Ledger.Finish(release.Id, result, result.ToString());
    }
}
