using Grpc.Core;
using TeaFleet.Agent.Database;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class DatabaseService(PostgresDatabase database, BackupCatalogue catalogue, BackupOperations backups) : V1.Database.DatabaseBase
{
    public override Task<DatabaseStatus> Check(CheckDatabaseRequest request, ServerCallContext context) =>
        database.CheckAsync(request.RowCounts, context.CancellationToken);

    public override Task<ListBackupsResponse> ListBackups(ListBackupsRequest request, ServerCallContext context)
    {
        database.EnsureConfigured();
        var response = new ListBackupsResponse { BackupDir = catalogue.BackupDir };
        response.Backups.AddRange(catalogue.List());
        if (Directory.Exists(catalogue.BackupDir))
        {
            response.FreeBytes = new DriveInfo(catalogue.BackupDir).AvailableFreeSpace;
        }

        return Task.FromResult(response);
    }

    public override Task CreateBackup(CreateBackupRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Create(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task VerifyBackup(VerifyBackupRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Verify(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task PruneBackups(PruneBackupsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Prune(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override Task Restore(RestoreRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(backups.Restore(request, CallerIdentity.Of(context)), 0, responseStream, context);
}
