namespace TeaFleet.Controller.Plans;

/// <summary>
/// The operations plan steps can name, each with an <c>IStepExecutor</c> in Engine/. Agent operations
/// get an operation id (RUN_ID.STEP.HOST); the others are done by the controller itself (reads and checks).
/// </summary>
public static class PlanOperations
{
    /// <summary>Agent: Services.Recreate(services, commit, kind[, no_cache]) — checkout, build or reuse images, recreate, verify, ledger.</summary>
    public const string ServicesRecreate = "services.recreate";

    /// <summary>Agent: Services.Stop(services) — the runbook's "stop frontend backend" (traffic stopped) or "compose down" of the app.</summary>
    public const string ServicesStop = "services.stop";

    /// <summary>Agent: Services.Start(services) — start stopped containers again, verified (running, healthy, health URLs).</summary>
    public const string ServicesStart = "services.start";

    /// <summary>Agent (database host): Database.CreateBackup(kind) — space check, pg_dump, fsync, catalogue.</summary>
    public const string DatabaseBackup = "database.backup";

    /// <summary>Agent (database host): Database.VerifyBackup(backup) — sha256 and pg_restore --list; the verdict is recorded in the catalogue.</summary>
    public const string DatabaseVerify = "database.verify";

    /// <summary>Agent (database host): Database.PruneBackups([dry_run]) — deletes backups by the host's retention policy.</summary>
    public const string DatabasePrune = "database.prune";

    /// <summary>Agent (database host): Database.Restore(backup) — verify it, safety backup, restore, check.</summary>
    public const string DatabaseRestore = "database.restore";

    /// <summary>Agent (database host): Migrations.Check(expect_head) — the live release's `alembic current`, compared with alembic_version.</summary>
    public const string MigrationsCheck = "migrations.check";

    /// <summary>Agent (database host): Migrations.Upgrade(revision) — `alembic upgrade`, after a fresh backup.</summary>
    public const string MigrationsUpgrade = "migrations.upgrade";

    /// <summary>Agent (database host): Migrations.Downgrade(steps, revision) — `alembic downgrade` with the live release's scripts, after a fresh backup.</summary>
    public const string MigrationsDowngrade = "migrations.downgrade";

    /// <summary>Controller: Database.Check on the database host — connects, reads alembic_version and row counts (the runbook's "test database queries").</summary>
    public const string DatabaseCheck = "database.check";

    /// <summary>Controller: GET each URL until all answer 2xx within a short window.</summary>
    public const string HealthCheck = "health.check";

    /// <summary>Controller: the inventory's smoke test through the app's API (health, login, read, create and delete a test record).</summary>
    public const string SmokeTest = "smoke.test";

    public static bool IsAgentOperation(string operation) =>
        operation is ServicesRecreate or ServicesStop or ServicesStart or DatabaseBackup or DatabaseVerify or DatabasePrune or DatabaseRestore
            or MigrationsCheck or MigrationsUpgrade or MigrationsDowngrade;
}
