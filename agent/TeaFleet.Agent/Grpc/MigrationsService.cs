using Grpc.Core;
using TeaFleet.Agent.Migrations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class MigrationsService(MigrationOperations migrations) : V1.Migrations.MigrationsBase
{
    public override Task<MigrationStatus> Status(MigrationStatusRequest request, ServerCallContext context) =>
        migrations.StatusAsync(request, context.CancellationToken);

    public override Task Check(CheckMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(migrations.Check(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Upgrade(UpgradeMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(await migrations.UpgradeAsync(request, CallerIdentity.Of(context), context.CancellationToken), 0, responseStream, context);

    public override async Task Downgrade(DowngradeMigrationsRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        await OperationStreams.WriteAsync(await migrations.DowngradeAsync(request, CallerIdentity.Of(context), context.CancellationToken), 0, responseStream, context);
}
