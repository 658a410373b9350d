using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// <c>repair leftovers</c>: what a downgrade left behind in the schema (the live schema against a backup's
/// at the same head, Migrations.Leftovers). A quick backup, then Migrations.RepairLeftovers drops each
/// leftover nothing depends on with a plain DROP (never CASCADE; PostgreSQL refuses the rest, which are
/// kept and listed), then a migrations check. Missing and changed objects, and types the agent does not
/// drop, are listed for a person and never touched. "Nothing to repair" when nothing can be dropped.
/// </summary>
public sealed class LeftoverRepairProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.RepairLeftovers;

    public override string What(Plan plan) => "repair of what a downgrade left behind in the schema (leftovers)";

    public override string DataLoss(Plan plan) =>
        "- Data loss: whatever the dropped leftovers held (a leftover table's rows); the quick backup taken first keeps it";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"read the step's events (teafleet {inventoryOption} watch {host} OPERATION_ID); 'teafleet {inventoryOption} migrations {plan.Environment}' shows what is left; fix what PostgreSQL refused by hand, or resume with 'teafleet {inventoryOption} resume {runId}'.";

    public static async Task<Plan> PlanAsync(FleetFacts facts, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var dbHost = environment.DatabaseHost;
        var leftovers = await facts.LeftoversAsync(null, cancellationToken).ConfigureAwait(false)
            ?? throw FleetException.BadInput(
                $"{dbHost.Name} cannot compare schemas: it runs no migrations (Agent:Migrations is not configured there), or its agent predates Migrations.Leftovers; nothing was changed.",
                "Configure Agent:Migrations on the environment's database host, or update its agent.");
        if (!leftovers.Compared)
        {
            throw FleetException.BadInput(
                $"cannot tell what a downgrade left behind on {dbHost.Name}: {leftovers.Reason}; nothing was changed.",
                $"The reference is a verified backup taken at the database's head before the database last left it ('teafleet backups {environment.Name}' lists them; verify one with --verify ID).");
        }

        var heads = string.Join(",", leftovers.DatabaseHeads);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await facts.MigrationsAsync(null, cancellationToken).ConfigureAwait(false) is { } status)
        {
            current[dbHost.Name] = status.CodeCommit;
        }

        var droppable = leftovers.Differences.Where(d => d.Droppable).ToList();
        var forAPerson = leftovers.Differences.Where(d => !d.Droppable).ToList();
        var personText = forAPerson.Count == 0 ? "" :
            $" For a person (never touched by TeaFleet): {string.Join(", ", forAPerson.Select(d => $"{LeftoverText.Kind(d.Kind)} {LeftoverText.Label(d)} ({d.Detail})"))}.";
        var reference = $"Compared with {LeftoverText.Reference(leftovers)}.";
        if (droppable.Count == 0)
        {
            return new Plan(PlanKind.RepairLeftovers, RollbackType.None, environment.Name, current.GetValueOrDefault(dbHost.Name, ""), [], [], current, [],
                $"nothing to repair: no leftover TeaFleet can drop on {dbHost.Name}.{personText} {reference}".Trim(), "no leftovers");
        }

        var steps = new StepList(environment);
        steps.Add(new BackupStep(BackupKind.Quick)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = "agent: pg_dump complete, fsynced, catalogued with size and sha256 (the fresh backup the repair starts from; it keeps what the leftovers hold)",
            OnFailure = "stop before anything is dropped; free space in the backup directory (teafleet backups ENV --prune) and run again",
        });
        var backupStep = steps.Last;
        steps.Add(new RepairLeftoversStep(backupStep)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = $"agent: the leftovers found again, then a plain DROP (never CASCADE) of each in its own transaction: {string.Join(", ", droppable.Select(LeftoverText.Label))}; what PostgreSQL refuses (something depends on it) is kept and listed with its reason",
            Destructive = true,
            OnFailure = $"stop; each DROP was its own transaction, so every leftover is either dropped or untouched: 'teafleet migrations {environment.Name}' shows what is left; the quick backup of step {backupStep} holds what was dropped",
        });
        steps.Add(new CheckMigrationsStep(heads)
        {
            Index = 0,
            Host = dbHost.Name,
            Verification = $"agent: the live release's `alembic current` still reads {heads} and matches alembic_version",
            OnFailure = "stop and report: compare 'teafleet migrations ENV' with the repair step's events",
        });
        var note = $"drops {droppable.Count} leftover(s) of a downgrade on {dbHost.Name}: {string.Join(", ", droppable.Select(d => LeftoverText.Label(d) + (d.CollidesWith.Count > 0 ? $" (collides with {string.Join(", ", d.CollidesWith)})" : "")))}; what something depends on is kept and listed.{personText} {reference}";
        return new Plan(PlanKind.RepairLeftovers, RollbackType.None, environment.Name, current.GetValueOrDefault(dbHost.Name, ""), [], [], current, steps.Steps, note, $"{droppable.Count} leftover(s) to drop");
    }
}
