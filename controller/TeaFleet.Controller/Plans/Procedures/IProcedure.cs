using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A runbook procedure: what it is called, its policies (drill, report) and its texts (what it does,
/// the plan's title, the confirmation, the data-loss line of the report and the next move when it
/// fails). A plan names its procedure by kind (and rollback type), so a journaled plan finds it again
/// through <see cref="Procedures"/>.
/// </summary>
public interface IProcedure
{
    PlanKind Kind { get; }

    /// <summary>The rollback type the procedure plans (<see cref="RollbackType.None"/> for the others).</summary>
    RollbackType Type { get; }

    /// <summary>Whether the plan switches code (deploy, rollback) rather than only touching the database.</summary>
    bool SwitchesCode { get; }

    /// <summary>Whether a gated environment runs it only after staging rehearsed it (the drill gate).</summary>
    bool NeedsDrill { get; }

    /// <summary>Whether a run of it is an incident and gets a report (timeline, data-loss window, checklist).</summary>
    bool WritesReport { get; }

    /// <summary>What the plan does, in a few words ("rollback to 1a2b3c4 (services: backend)").</summary>
    string What(Plan plan);

    /// <summary>The type line of the incident report ("Type 2 (code + database)", "restore of a database backup").</summary>
    string ReportType(Plan plan);

    /// <summary>The command that runs the same plan on staging (the drill).</summary>
    string DrillCommand(FleetInventory inventory, string staging, Plan plan);

    /// <summary>The data-loss line of the report when the plan has no data-loss window of its own.</summary>
    string DataLoss(Plan plan);

    /// <summary>What to do after the run failed at a step on <paramref name="host"/>.</summary>
    string NextMove(string inventoryOption, Plan plan, string host, string runId);

    /// <summary>
    /// What to do after the run failed at <paramref name="failed"/>, knowing what every step did (the journal's
    /// records, way-back steps included): what runs now and the one command to go on. By default the above.
    /// </summary>
    string NextMove(string inventoryOption, Plan plan, PlanStep? failed, IReadOnlyDictionary<int, Engine.StepRecord> steps, string runId) =>
        NextMove(inventoryOption, plan, failed?.Host ?? "HOST", runId);

    /// <summary>The question asked before it runs on a gated environment.</summary>
    string Confirmation(EnvironmentConfig environment, Plan plan);
}
