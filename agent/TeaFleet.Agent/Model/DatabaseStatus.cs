namespace TeaFleet.Agent.Model;

/// <summary>What a database check found: server, size, sessions, the Alembic head(s) and, when asked, row counts.</summary>
public sealed record DatabaseStatus(
    string Host,
    string Database,
    string ServerVersion,
    long SizeBytes,
    int Connections,
    IReadOnlyList<string> MigrationHeads,
    IReadOnlyList<TableRows> Tables);
