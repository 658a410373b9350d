using System.Text.Json;
using TeaFleet.Agent.Model;
using static TeaFleet.Agent.State.ProtoJson;

namespace TeaFleet.Agent.State;

/// <summary>
/// State records of format version 1: the protobuf JSON of Release, Backup, OperationInfo and
/// OperationEvent that ledger.jsonl, catalogue.jsonl and operations/*.jsonl held before the agent
/// had a format of its own. Read field by field, so a later change of the wire contract cannot
/// change how an old file reads.
/// </summary>
internal static class LegacyFormat
{
    public static Release Release(JsonElement e) => new()
    {
        Id = Long(e, "id"),
        Commit = Text(e, "commit"),
        Kind = Text(e, "kind"),
        Services = Strings(e, "services"),
        Images = Map(e, "images"),
        RequestedBy = Text(e, "requestedBy"),
        Reason = Text(e, "reason"),
        OperationId = Text(e, "operationId"),
        RunId = Text(e, "runId"),
        StartedAt = Timestamp(e, "startedAt"),
        EndedAt = Timestamp(e, "endedAt"),
        Result = EnumOf<ReleaseResult>(e, "result", "RELEASE_RESULT_"),
        Message = Text(e, "message"),
        PreviousCommit = Text(e, "previousCommit"),
        Built = Bool(e, "built"),
        MigrationHead = Text(e, "migrationHead"),
    };

    public static Backup Backup(JsonElement e) => new()
    {
        Id = Text(e, "id"),
        TakenAt = Timestamp(e, "takenAt"),
        Kind = EnumOf<BackupKind>(e, "kind", "BACKUP_KIND_"),
        Format = EnumOf<BackupFormat>(e, "format", "BACKUP_FORMAT_"),
        SizeBytes = Long(e, "sizeBytes"),
        Sha256 = Text(e, "sha256"),
        ReleaseCommit = Text(e, "releaseCommit"),
        MigrationHead = Text(e, "migrationHead"),
        VerifyState = EnumOf<VerifyState>(e, "verifyState", "VERIFY_STATE_"),
        VerifiedAt = Timestamp(e, "verifiedAt"),
        VerifyMessage = Text(e, "verifyMessage"),
        FileName = Text(e, "fileName"),
        RequestedBy = Text(e, "requestedBy"),
        Reason = Text(e, "reason"),
        OperationId = Text(e, "operationId"),
        DatabaseSizeBytes = Long(e, "databaseSizeBytes"),
    };

    public static OperationInfo OperationInfo(JsonElement e) => new()
    {
        OperationId = Text(e, "operationId"),
        Kind = Text(e, "kind"),
        State = EnumOf<OperationState>(e, "state", "OPERATION_STATE_"),
        RequestedBy = Text(e, "requestedBy"),
        RunId = Text(e, "runId"),
        StartedAt = Timestamp(e, "startedAt"),
        EndedAt = Timestamp(e, "endedAt"),
        LastSequence = Long(e, "lastSequence"),
        Message = Text(e, "message"),
        Summary = Text(e, "summary"),
    };

    public static OperationEvent OperationEvent(JsonElement e) => new()
    {
        OperationId = Text(e, "operationId"),
        Sequence = Long(e, "sequence"),
        Time = Timestamp(e, "time"),
        Step = Text(e, "step"),
        Phase = EnumOf<OperationPhase>(e, "phase", "OPERATION_PHASE_"),
        // Protobuf JSON leaves a 0 out; the agent's own default is -1 (unknown).
        Percent = Real(e, "percent"),
        Bytes = Long(e, "bytes"),
        Message = Text(e, "message"),
        Host = Text(e, "host"),
        Final = Bool(e, "final"),
        Data = Map(e, "data"),
    };
}
