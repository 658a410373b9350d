using Grpc.Core;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class DatabaseService(BackupOperations backups, RestoreOperation restore) : V1.Database.DatabaseBase
{
    public override async Task<DatabaseStatus> Check(CheckDatabaseRequest request, ServerCallContext context) =>
        DatabaseWire.ToWire(await backups.CheckAsync(request.RowCounts, context.CancellationToken));

    public override Task<ListBackupsResponse> ListBackups(ListBackupsRequest request, ServerCallContext context)
    {
        var list = backups.List();
        var response = new ListBackupsResponse { BackupDir = list.BackupDir, FreeBytes = list.FreeBytes };
        response.Backups.AddRange(list.Backups.Select(DatabaseWire.ToWire));
        return Task.FromResult(response);
    }

    public override Task CreateBackup(CreateBackupRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(
            backups.Create(OperationWire.ToModel(request.Header), DatabaseWire.ToModel(request.Kind), CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task VerifyBackup(VerifyBackupRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Verify(OperationWire.ToModel(request.Header), request.BackupId, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task PruneBackups(PruneBackupsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Prune(OperationWire.ToModel(request.Header), request.DryRun, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Restore(RestoreRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(
            restore.Start(OperationWire.ToModel(request.Header), request.BackupId, request.Jobs, CallerIdentity.Of(context)), 0, responseStream, context);
}
