using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>Backup maintenance: old backups deleted by the database host's retention policy (never the newest verified one); a dry run deletes nothing.</summary>
public sealed class PruneBackupsProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Prune;

    public override string What(Plan plan) => "retention prune of the database's backups";

    public static Plan Build(EnvironmentConfig environment, bool dryRun)
    {
        var host = environment.DatabaseHost;
        var step = new PruneBackupsStep(dryRun)
        {
            Index = 1,
            Host = host.Name,
            Verification = dryRun ? "agent: lists what the retention policy would delete; deletes nothing"
                : "agent: deletes the backups the retention policy selects (keep the last N and one a day for D days, never the newest verified); each deleted id is in the step's result",
            Destructive = !dryRun,
            OnFailure = "stop; the catalogue lists what is left ('teafleet backups ENV')",
        };
        return new Plan(PlanKind.Prune, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), [step],
            dryRun ? $"what the retention policy on {host.Name} would delete" : $"old backups on {host.Name} deleted by the retention policy");
    }
}
