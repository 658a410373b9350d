using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>database.check</c>: the runbook's "test database queries" — Database.Check on the database host
/// (connect, alembic_version, every table's rows); fails when the Alembic head is not expect_head.
/// </summary>
public sealed class DatabaseCheckStepExecutor(AgentPool agents, TimeProvider timeProvider) : IStepExecutor
{
    public string Operation => PlanOperations.DatabaseCheck;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var host = context.Inventory.FindHost(context.Step.Host)
            ?? throw FleetException.BadInput($"the plan names host '{context.Step.Host}', which the inventory no longer has.");
        var agent = agents.Get(host);
        var status = await agent.CallAsync(o => agent.Database.CheckAsync(new CheckDatabaseRequest { RowCounts = true }, o), cancellationToken).ConfigureAwait(false);
        var head = string.Join(",", status.MigrationHeads);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["migration_head"] = head,
            ["server_version"] = status.ServerVersion,
            ["tables"] = string.Join(",", status.Tables.Select(t => $"{t.Table}={t.Rows}")),
        };
        context.Report(new StepProgress("progress", "check", $"{status.Database} on {status.Host}: PostgreSQL {status.ServerVersion}, Alembic head {(head.Length > 0 ? head : "none")}, {string.Join(", ", status.Tables.Select(t => $"{t.Table} {t.Rows}"))}", -1, 0, timeProvider.GetUtcNow()));
        var expected = context.Step.Arguments.GetValueOrDefault("expect_head");
        if (expected is { Length: > 0 } && head != expected)
        {
            return StepOutcome.Failure($"the database answers, but its Alembic head is {(head.Length > 0 ? head : "none")}, not {expected}", data: data);
        }

        return StepOutcome.Success($"queries answer: {status.Tables.Count} tables, {status.Tables.Sum(t => t.Rows)} rows, Alembic head {(head.Length > 0 ? head : "none")}", data);
    }
}
