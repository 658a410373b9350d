namespace TeaFleet.Agent.Model;

public enum MigrationState
{
    Unspecified,
    UpToDate,
    Behind,
    UnknownRevision,
    NotMigrated,
    SeveralHeads,
}
