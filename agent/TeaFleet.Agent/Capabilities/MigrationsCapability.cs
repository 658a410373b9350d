using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Operations.Migrations;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Migrations: the app's Alembic status, check, upgrade and downgrade (where Agent:Migrations is configured).</summary>
public sealed class MigrationsCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        // A migration starts from a fresh backup of the database.
        services.TryAddSingleton<PostgresDatabase>();
        services.TryAddSingleton<BackupCatalogue>();
        services.TryAddSingleton<BackupWriter>();
        services.TryAddSingleton<GitRepository>();
        services.TryAddSingleton<ComposeProject>();
        services.TryAddSingleton<Alembic>();
        services.TryAddSingleton<LiveCodeFinder>();
        services.TryAddSingleton<MigrationStatusReader>();
        services.TryAddSingleton<LeftoverFinder>();
        services.TryAddSingleton<MigrationOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<MigrationsService>();
}
