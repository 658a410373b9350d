using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The database's records (backups, checks) between the wire and the agent's own records.</summary>
public static class DatabaseWire
{
    public static V1.Backup ToWire(M.Backup b) => new()
    {
        Id = b.Id,
        TakenAt = OperationWire.Time(b.TakenAt),
        Kind = ToWire(b.Kind),
        Format = b.Format switch
        {
            M.BackupFormat.Custom => V1.BackupFormat.Custom,
            M.BackupFormat.PlainGzip => V1.BackupFormat.PlainGzip,
            _ => V1.BackupFormat.Unspecified,
        },
        SizeBytes = b.SizeBytes,
        Sha256 = b.Sha256,
        ReleaseCommit = b.ReleaseCommit,
        MigrationHead = b.MigrationHead,
        VerifyState = b.VerifyState switch
        {
            M.VerifyState.Unverified => V1.VerifyState.Unverified,
            M.VerifyState.Verified => V1.VerifyState.Verified,
            M.VerifyState.Failed => V1.VerifyState.Failed,
            _ => V1.VerifyState.Unspecified,
        },
        VerifiedAt = OperationWire.Time(b.VerifiedAt),
        VerifyMessage = b.VerifyMessage,
        FileName = b.FileName,
        RequestedBy = b.RequestedBy,
        Reason = b.Reason,
        OperationId = b.OperationId,
        DatabaseSizeBytes = b.DatabaseSizeBytes,
    };

    public static V1.BackupKind ToWire(M.BackupKind kind) => kind switch
    {
        M.BackupKind.Scheduled => V1.BackupKind.Scheduled,
        M.BackupKind.Quick => V1.BackupKind.Quick,
        M.BackupKind.Safety => V1.BackupKind.Safety,
        M.BackupKind.Forensic => V1.BackupKind.Forensic,
        M.BackupKind.Full => V1.BackupKind.Full,
        M.BackupKind.Legacy => V1.BackupKind.Legacy,
        _ => V1.BackupKind.Unspecified,
    };

    public static M.BackupKind ToModel(V1.BackupKind kind) => kind switch
    {
        V1.BackupKind.Scheduled => M.BackupKind.Scheduled,
        V1.BackupKind.Quick => M.BackupKind.Quick,
        V1.BackupKind.Safety => M.BackupKind.Safety,
        V1.BackupKind.Forensic => M.BackupKind.Forensic,
        V1.BackupKind.Full => M.BackupKind.Full,
        V1.BackupKind.Legacy => M.BackupKind.Legacy,
        _ => M.BackupKind.Unspecified,
    };

    public static V1.DatabaseStatus ToWire(M.DatabaseStatus s)
    {
        var wire = new V1.DatabaseStatus
        {
            Host = s.Host,
            Database = s.Database,
            ServerVersion = s.ServerVersion,
            SizeBytes = s.SizeBytes,
            Connections = s.Connections,
        };
        wire.MigrationHeads.Add(s.MigrationHeads);
        wire.Tables.Add(s.Tables.Select(t => new V1.TableRows { Table = t.Table, Rows = t.Rows }));
        return wire;
    }
}
