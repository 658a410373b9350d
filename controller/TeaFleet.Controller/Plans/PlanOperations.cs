namespace TeaFleet.Controller.Plans;

/// <summary>
/// The operations plan steps can name. Type 1 (code only) needs the first two; Type 2 and 3 add their
/// database, migration and firewall steps here (e.g. "database.backup", "migrations.downgrade",
/// "firewall.block") together with an <c>IStepExecutor</c> for each in Engine/.
/// </summary>
public static class PlanOperations
{
    /// <summary>Agent: Services.Recreate(services, commit, kind) — checkout, build or reuse images, recreate, verify, ledger.</summary>
    public const string ServicesRecreate = "services.recreate";

    /// <summary>Agent (database host): Database.CreateBackup(kind) — space check, pg_dump, fsync, catalogue.</summary>
    public const string DatabaseBackup = "database.backup";

    /// <summary>Agent (database host): Database.Restore(backup) — verify it, safety backup, restore, check.</summary>
    public const string DatabaseRestore = "database.restore";

    /// <summary>Controller: GET each URL until all answer 2xx within a short window.</summary>
    public const string HealthCheck = "health.check";

    public static bool IsAgentOperation(string operation) => operation is ServicesRecreate or DatabaseBackup or DatabaseRestore;
}
