using Grpc.Core;
using TeaFleet.Agent.Operations.Migrations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class MigrationsService(MigrationOperations migrations, MigrationStatusReader status, LeftoverFinder leftovers) : V1.Migrations.MigrationsBase
{
    public override async Task<LeftoversResponse> Leftovers(LeftoversRequest request, ServerCallContext context) =>
        MigrationWire.ToWire(await leftovers.FindAsync(request.Target, null, context.CancellationToken));

    public override Task RepairLeftovers(RepairLeftoversRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(migrations.RepairLeftovers(OperationWire.ToModel(request.Header), request.BackupId, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task<MigrationStatus> Status(MigrationStatusRequest request, ServerCallContext context) =>
        MigrationWire.ToWire(await status.StatusAsync(request.Target, context.CancellationToken));

    public override Task Check(CheckMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(migrations.Check(OperationWire.ToModel(request.Header), request.ExpectHead, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Upgrade(UpgradeMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(
            await migrations.UpgradeAsync(OperationWire.ToModel(request.Header), request.Revision, request.BackupId, request.Commit, CallerIdentity.Of(context), context.CancellationToken),
            0, responseStream, context);

    public override async Task Downgrade(DowngradeMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(
            request.Offline
                ? await migrations.RenderDowngradeAsync(OperationWire.ToModel(request.Header), request.Steps, request.Revision, CallerIdentity.Of(context), context.CancellationToken)
                : await migrations.DowngradeAsync(OperationWire.ToModel(request.Header), request.Steps, request.Revision, request.BackupId, CallerIdentity.Of(context), context.CancellationToken),
            0, responseStream, context);
}
