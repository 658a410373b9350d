namespace TeaFleet.Shared;

/// <summary>
/// The names of the operations a plan step can be, as the run journal, <c>--json</c> output and the
/// agent's operation journal spell them. The controller's step records use them as their JSON
/// discriminator; the agent names its operations with the same words.
/// </summary>
public static class OperationKinds
{
    /// <summary>Agent: Services.Recreate — checkout, build or reuse images, recreate, verify, ledger.</summary>
    public const string ServicesRecreate = "services.recreate";

    /// <summary>Agent: Services.Stop.</summary>
    public const string ServicesStop = "services.stop";

    /// <summary>Agent: Services.Start, verified (running, healthy, health URLs).</summary>
    public const string ServicesStart = "services.start";

    /// <summary>Agent (database host): Database.CreateBackup.</summary>
    public const string DatabaseBackup = "database.backup";

    /// <summary>Agent (database host): Database.VerifyBackup.</summary>
    public const string DatabaseVerify = "database.verify";

    /// <summary>Agent (database host): Database.PruneBackups.</summary>
    public const string DatabasePrune = "database.prune";

    /// <summary>Agent (database host): Database.Restore.</summary>
    public const string DatabaseRestore = "database.restore";

    /// <summary>Agent (database host): Migrations.Check.</summary>
    public const string MigrationsCheck = "migrations.check";

    /// <summary>Agent (database host): Migrations.Upgrade.</summary>
    public const string MigrationsUpgrade = "migrations.upgrade";

    /// <summary>Agent (database host): Migrations.Downgrade.</summary>
    public const string MigrationsDowngrade = "migrations.downgrade";

    /// <summary>Agent (database host): Migrations.Downgrade with offline = true — renders the chain as SQL, changes nothing.</summary>
    public const string MigrationsRender = "migrations.render";
    /// <summary>Agent (database host): Migrations.RepairLeftovers — drop what a downgrade left behind.</summary>
    public const string MigrationsRepairLeftovers = "migrations.repair-leftovers";

    /// <summary>Controller: Database.Check on the database host (the runbook's "test database queries").</summary>
    public const string DatabaseCheck = "database.check";

    /// <summary>Controller: GET each health URL until all answer 2xx.</summary>
    public const string HealthCheck = "health.check";

    /// <summary>Controller: the watch after a rollback: health URLs, the agents' /healthz, restarts, error lines in logs and resource use, for a window.</summary>
    public const string Monitor = "monitor";

    /// <summary>Controller: the inventory's smoke test through the app's API.</summary>
    public const string SmokeTest = "smoke.test";

    /// <summary>Agent: Services.Restart(services).</summary>
    public const string ServicesRestart = "services.restart";

    /// <summary>Agent: Source.Fetch — git fetch of the app's checkout.</summary>
    public const string SourceFetch = "source.fetch";

    /// <summary>Agent: Source.Checkout(commit) — git checkout of the app's code.</summary>
    public const string SourceCheckout = "source.checkout";

    /// <summary>Agent: Firewall.Block — ufw deny of the host's public ports, recording the rules they replaced.</summary>
    public const string FirewallBlock = "firewall.block";

    /// <summary>Agent: Firewall.Allow — undoes what Firewall.Block did (the rule before put back, or TeaFleet's deny deleted).</summary>
    public const string FirewallAllow = "firewall.allow";

    /// <summary>Agent (the host with Agent:Queue): Queue.Flush — removes the configured queues' keys, nothing else.</summary>
    public const string QueueFlush = "queue.flush";

    /// <summary>Agent (the host with Agent:Maintenance): Maintenance.Enable — the app's maintenance page up (the flag file its nginx checks).</summary>
    public const string MaintenanceEnable = "maintenance.enable";

    /// <summary>Agent: Maintenance.Disable — the maintenance page down (the flag file removed).</summary>
    public const string MaintenanceDisable = "maintenance.disable";

    /// <summary>Agent: Forensics.Collect — the incident's evidence (env files, logs, containers, ledger; the forensic database backup on the database host) into a bundle.</summary>
    public const string ForensicsCollect = "forensics.collect";
}
