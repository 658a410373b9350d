using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>database.check</c>: the runbook's "test database queries" — Database.Check on the database host
/// (connect, alembic_version, every table's rows); fails when the Alembic head is not expect_head, and,
/// with same_schema, when the live schema differs from the reference backup at that head beyond the
/// differences known when the plan was made (Migrations.Leftovers).
/// </summary>
public sealed class DatabaseCheckStepExecutor(AgentPool agents, TimeProvider timeProvider) : StepExecutor<CheckDatabaseStep>
{
    public override async Task<StepOutcome> ExecuteAsync(CheckDatabaseStep step, StepContext context, CancellationToken cancellationToken)
    {
        var host = context.Inventory.FindHost(step.Host)
            ?? throw FleetException.BadInput($"the plan names host '{step.Host}', which the inventory no longer has.");
        var agent = agents.Get(host);
        var status = await agent.CallAsync(o => agent.Database.CheckAsync(new CheckDatabaseRequest { RowCounts = true }, o), cancellationToken).ConfigureAwait(false);
        var head = string.Join(",", status.MigrationHeads);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OperationResultKeys.MigrationHead] = head,
            [OperationResultKeys.ServerVersion] = status.ServerVersion,
            [OperationResultKeys.Tables] = string.Join(",", status.Tables.Select(t => $"{t.Table}={t.Rows}")),
        };
        context.Report(new StepProgress(StepPhase.Progress, "check", $"{status.Database} on {status.Host}: PostgreSQL {status.ServerVersion}, Alembic head {(head.Length > 0 ? head : "none")}, {string.Join(", ", status.Tables.Select(t => $"{t.Table} {t.Rows}"))}", -1, 0, timeProvider.GetUtcNow()));
        var expected = step.ExpectHead;
        if (expected.Length > 0 && head != expected)
        {
            return StepOutcome.Failure($"the database answers, but its Alembic head is {(head.Length > 0 ? head : "none")}, not {expected}", data: data);
        }

        var schema = step.SameSchema ? await SchemaAsync(host, step, cancellationToken).ConfigureAwait(false) : null;
        if (schema is { Changed: true })
        {
            data["schema_changes"] = schema.Text;
            return StepOutcome.Failure($"the database is at {head}, but its schema is not the one it had at that head: {schema.Text}", data: data);
        }

        return StepOutcome.Success($"queries answer: {status.Tables.Count} tables, {status.Tables.Sum(t => t.Rows)} rows, Alembic head {(head.Length > 0 ? head : "none")}{(schema is null ? "" : "; " + schema.Text)}", data);
    }

    private sealed record SchemaResult(bool Changed, string Text);

    /// <summary>The live schema against the reference backup at the head (Migrations.Leftovers, a read, as plans read it): what differs beyond the known differences.</summary>
    private async Task<SchemaResult> SchemaAsync(HostConfig host, CheckDatabaseStep step, CancellationToken cancellationToken)
    {
        var leftovers = await new AgentFleetReader(agents).GetLeftoversAsync(host, null, cancellationToken).ConfigureAwait(false);
        if (leftovers is not { Compared: true })
        {
            return new SchemaResult(false, "schema not compared: " + (leftovers?.Reason ?? "the agent cannot compare schemas"));
        }

        var known = step.KnownDifferences.ToHashSet(StringComparer.Ordinal);
        var changes = leftovers.Differences.Select(LeftoverText.Difference).Where(d => !known.Contains(d)).ToList();
        return changes.Count == 0
            ? new SchemaResult(false, $"schema as in backup {leftovers.ReferenceBackupId}")
            : new SchemaResult(true, $"{string.Join(", ", changes)} against backup {leftovers.ReferenceBackupId} (a migration committed part of its work)");
    }
}
