using Grpc.Core;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Migrations;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// How the agent reads Alembic's state and turns a downgrade request into revisions before anything
/// runs (the runs themselves go through the real Alembic in the fleet tests).
/// </summary>
public sealed class MigrationPlanningTests
{
    private static (string, string) Script(string revision, string down) =>
        ($"{revision}.py", $"revision = '{revision}'\ndown_revision = {down}\n");

    private static readonly MigrationGraph Line = MigrationGraph.Parse([Script("0001_initial", "None"), Script("0002_teams", "'0001_initial'"), Script("0003_audit", "'0002_teams'")]);

    private static LiveCode Live(MigrationGraph graph) => new("c0ffee", graph, "tea-backend:c0ffee", true);

    [Fact]
    public void A_downgrade_by_steps_or_to_a_revision_lists_what_it_reverts_newest_first()
    {
        var bySteps = MigrationPlanner.PlanDowngrade(Live(Line), ["0003_audit"], 2, "");
        Assert.Equal("0001_initial", bySteps.To);
        Assert.Equal(["0003_audit", "0002_teams"], bySteps.Reverted);

        var both = MigrationPlanner.PlanDowngrade(Live(Line), ["0003_audit"], 1, "0002_teams");
        Assert.Equal(["0003_audit"], both.Reverted);

        var toBase = MigrationPlanner.PlanDowngrade(Live(Line), ["0002_teams"], 2, "");
        Assert.Equal("base", toBase.To);
        Assert.Equal(["0002_teams", "0001_initial"], toBase.Reverted);
    }

    [Fact]
    public void A_plan_that_no_longer_matches_the_database_or_an_ambiguous_downgrade_is_refused_with_why()
    {
        // The plan said "2 steps to 0001_initial", but the database is only at 0002_teams now.
        var moved = Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(Line), ["0002_teams"], 2, "0001_initial"));
        Assert.Contains("moved since the plan", moved.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(Line), ["0009_future"], 1, ""));
        Assert.Contains("does not know", unknown.Message, StringComparison.Ordinal);

        var branched = MigrationGraph.Parse([Script("a1", "None"), Script("b2", "'a1'"), Script("x2", "'a1'")]);
        var heads = Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(branched), ["b2"], 1, ""));
        Assert.Equal(StatusCode.FailedPrecondition, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(heads.Kind));
        Assert.Contains("several heads (b2, x2)", heads.Message, StringComparison.Ordinal);

        var merged = MigrationGraph.Parse([Script("a1", "None"), Script("b2", "'a1'"), Script("x2", "'a1'"), Script("m3", "('b2', 'x2')")]);
        Assert.Contains("merge", Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(merged), ["m3"], 1, "")).Message, StringComparison.Ordinal);
        Assert.Equal(["m3"], MigrationPlanner.PlanDowngrade(Live(merged), ["m3"], 0, "b2").Reverted.Take(1));

        Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(Line), ["0001_initial"], 0, "0001_initial"));
        Assert.Throws<AgentException>(() => MigrationPlanner.PlanDowngrade(Live(Line), ["0002_teams", "x"], 1, ""));
    }

    [Fact]
    public void The_state_says_whether_an_upgrade_is_pending_or_half_applied()
    {
        Assert.Equal(MigrationState.UpToDate, MigrationPlanner.Assess(["0003_audit"], Line).State);
        var behind = MigrationPlanner.Assess(["0002_teams"], Line);
        Assert.Equal(MigrationState.Behind, behind.State);
        Assert.Contains("(1 to apply)", behind.Detail, StringComparison.Ordinal);
        Assert.Equal(MigrationState.UnknownRevision, MigrationPlanner.Assess(["0004_next"], Line).State);
        Assert.Equal(MigrationState.NotMigrated, MigrationPlanner.Assess([], Line).State);
        Assert.Equal(MigrationState.SeveralHeads, MigrationPlanner.Assess(["a", "b"], Line).State);
    }

    [Fact]
    public void Revisions_are_read_from_alembic_current_and_heads_output()
    {
        Assert.Equal(["0002_teams"], Alembic.RevisionOutput("0002_teams\n"));
        Assert.Equal(["0003_audit"], Alembic.RevisionOutput("0003_audit (head)\n"));
        Assert.Equal(["b2", "x2"], Alembic.RevisionOutput("x2 (head)\nb2 (head)\n"));
        Assert.Empty(Alembic.RevisionOutput(""));
    }
}
