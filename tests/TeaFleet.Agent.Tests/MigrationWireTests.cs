using TeaFleet.Agent.Grpc;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>The migration status's newer fields reach the wire: what a target knows, the last failed downgrade, RunOnDeploy and the last good release.</summary>
public sealed class MigrationWireTests
{
    [Fact]
    public void The_target_revisions_history_and_the_last_failed_downgrade_are_mapped()
    {
        var at = new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
        var status = new M.MigrationStatus
        {
            Host = "b-prod-1",
            TargetCommit = "1111111111111111111111111111111111111111",
            TargetHeads = ["5e9d2b7c4a10"],
            TargetRevisions = ["5e9d2b7c4a10", "a3c1e5f70b21"],
            TargetHistoryCommits = ["1111111111111111111111111111111111111111", "0000000000000000000000000000000000000000"],
            LastDowngradeFailed = true,
            LastDowngradeOperationId = "RUN.5.b-prod-1",
            LastDowngradeMessage = "migrations.downgrade failed at step downgrade: …; the database is unchanged (still at c7f04d1a9e36)",
            LastDowngradeOffline = true,
            LastDowngradeAt = at,
        };

        var wire = MigrationWire.ToWire(status);

        Assert.Equal(["5e9d2b7c4a10", "a3c1e5f70b21"], wire.TargetRevisions);
        Assert.Equal(status.TargetHistoryCommits, wire.TargetHistoryCommits);
        Assert.True(wire.LastDowngradeFailed);
        Assert.Equal("RUN.5.b-prod-1", wire.LastDowngradeOperationId);
        Assert.Equal(status.LastDowngradeMessage, wire.LastDowngradeMessage);
        Assert.True(wire.LastDowngradeOffline);
        Assert.Equal(at, wire.LastDowngradeAt.ToDateTimeOffset());
        Assert.Null(MigrationWire.ToWire(new M.MigrationStatus()).LastDowngradeAt);
    }

    [Fact]
    public void Run_on_deploy_and_the_last_good_release_and_its_head_are_mapped()
    {
        var status = new M.MigrationStatus { RunOnDeploy = true, LastGoodCommit = new string('b', 40), LastGoodHead = "0002,0002b" };

        var wire = MigrationWire.ToWire(status);

        Assert.True(wire.RunOnDeploy);
        Assert.Equal(new string('b', 40), wire.LastGoodCommit);
        Assert.Equal("0002,0002b", wire.LastGoodHead);
        var empty = MigrationWire.ToWire(new M.MigrationStatus());
        Assert.False(empty.RunOnDeploy);
        Assert.Equal("", empty.LastGoodCommit);
        Assert.Equal("", empty.LastGoodHead);
    }
}
