namespace TeaFleet.Agent.Options;

/// <summary>
/// The app's job queues in Redis (only the host whose agent should flush them configures it, the
/// one that runs Redis or reaches it). Only the keys and patterns in Queues, in Database, are ever
/// read or removed: never FLUSHDB or FLUSHALL, since sessions or caches may share the database.
/// </summary>
public sealed class QueueOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 6379;

    /// <summary>The database number (SELECT) the queues live in.</summary>
    public int Database { get; set; }

    /// <summary>A file holding Redis's password (requirepass; one line), read at every use, never logged. Empty: no AUTH.</summary>
    public string PasswordFile { get; set; } = "";

    /// <summary>Seconds a connection or one command may take.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>The queues: a name callers use, and the Redis key or glob pattern (rq:queue:*) it stands for. Empty: no queue on this host.</summary>
    public List<QueueKeyOptions> Queues { get; set; } = [];

    public bool Configured => Queues.Count > 0;
}
