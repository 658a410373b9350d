namespace TeaFleet.Agent.Options;

/// <summary>
/// The app's PostgreSQL database on this host (only the host that runs it configures it). The agent
/// connects as the database's owner; pg_dump, pg_restore and psql come from PgBinDir and must be at
/// least the server's major version.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>The database's name; empty means this host has no database and the Database service refuses.</summary>
    public string Name { get; set; } = "";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5432;

    public string User { get; set; } = "";

    /// <summary>A file holding the password (one line), readable only by the agent's user.</summary>
    public string PasswordFile { get; set; } = "";

    /// <summary>Where pg_dump, pg_restore and psql are, e.g. /usr/lib/postgresql/15/bin.</summary>
    public string PgBinDir { get; set; } = "/usr/bin";

    /// <summary>Retention: the last N backups are kept...</summary>
    public int KeepLast { get; set; } = 10;

    /// <summary>...and the newest of each day for this many days.</summary>
    public int KeepDailyDays { get; set; } = 14;

    /// <summary>pg_restore --jobs when the caller leaves it to the agent; 0 means the host's cores, at most 4.</summary>
    public int RestoreJobs { get; set; }

    /// <summary>Seconds a connection or a check query may take.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    public bool Configured => !string.IsNullOrWhiteSpace(Name);
}
