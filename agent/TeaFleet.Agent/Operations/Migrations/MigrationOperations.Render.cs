using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>The offline render of a downgrade chain: the pre-flight of a Type 2.</summary>
public sealed partial class MigrationOperations
{
    /// <summary>
    /// Renders a downgrade offline (`alembic downgrade --sql FROM:TO` in the live release's image): the
    /// pre-flight of a Type 2. Same checks as a downgrade, but no backup and nothing run against the
    /// database; a chain Alembic cannot render (a downgrade() that raises) fails it. The SQL streams as
    /// the step's log lines.
    /// </summary>
    public async Task<OperationRecord> RenderDowngradeAsync(OperationHeader header, int steps, string requestedRevision, string caller, CancellationToken ct)
    {
        if (operations.TryAttach(header, RenderKind) is { } existing)
        {
            return existing;
        }

        finder.EnsureConfigured();
        var revision = DowngradeRevision(steps, requestedRevision);
        var live = await finder.LiveAsync(ct);
        var plan = MigrationPlanner.PlanDowngrade(live, await database.MigrationHeadsAsync(ct), steps, revision);
        return operations.Start(header, RenderKind, $"render downgrade {plan.From} → {plan.To} offline ({plan.Reverted.Count} step(s))", caller, async context =>
        {
            live = await LiveForRunAsync(context);
            plan = MigrationPlanner.PlanDowngrade(live, await database.MigrationHeadsAsync(context.CancellationToken), steps, revision);
            var lines = 0;
            await context.StepAsync("render", $"alembic downgrade --sql {plan.From}:{plan.To}: render the revert of {string.Join(", ", plan.Reverted)} offline with the live release's scripts ({live.Image}); nothing runs against the database", async () =>
            {
                try
                {
                    await alembic.RunAsync(live.Commit, ["downgrade", "--sql", $"{plan.From}:{plan.To}"], line =>
                    {
                        lines++;
                        context.Log("render", line);
                    }, context.CancellationToken);
                }
                catch (ProcessFailedException e)
                {
                    throw new InvalidOperationException(
                        $"Alembic cannot render the downgrade {plan.From} → {plan.To} offline: {e.Message}. Nothing was changed: the database is still at {plan.From}", e);
                }

                return $"the downgrade {plan.From} → {plan.To} renders ({lines} line(s) of output); nothing was changed";
            });
            return new Dictionary<string, string>
            {
                ["from"] = plan.From,
                ["to"] = plan.To,
                ["steps"] = plan.Reverted.Count.ToString(CultureInfo.InvariantCulture),
                ["offline"] = "true",
                ["sql_lines"] = lines.ToString(CultureInfo.InvariantCulture),
            };
        });
    }
}
