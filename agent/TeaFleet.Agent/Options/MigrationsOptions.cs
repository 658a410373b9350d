namespace TeaFleet.Agent.Options;

/// <summary>
/// How the app's own Alembic runs on this host (only the host that migrates, usually the database
/// host, configures it): a one-off container of the live release's image of Service, with Command
/// as its entrypoint and Alembic's subcommand appended. Needs App:MigrationsPath and the Database
/// section (for the fresh backup and the check).
/// </summary>
public sealed class MigrationsOptions
{
    /// <summary>The Compose service whose image carries the app's Alembic and migration scripts.</summary>
    public string Service { get; set; } = "backend";

    /// <summary>The Alembic command inside that image, e.g. ["python3", "-m", "alembic", "-c", "/app/alembic.ini"]; empty: migrations are not run on this host.</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>A backup named by the caller must be younger than this to count as fresh before an upgrade or downgrade.</summary>
    public int FreshBackupMinutes { get; set; } = 30;

    /// <summary>Seconds one Alembic run may take before it is stopped.</summary>
    public int TimeoutSeconds { get; set; } = 900;

    /// <summary>
    /// Whether the controller's deploy runs the upgrade as a step of its own, with the target's scripts
    /// in the target's image, after the full backup and before any service switches (an app that
    /// migrates by command; or one whose start-up migration should fail before the old release stops).
    /// Reported by Migrations.Status; the agent itself only runs what it is asked.
    /// </summary>
    public bool RunOnDeploy { get; set; }

    public bool Configured => Command.Count > 0;
}
