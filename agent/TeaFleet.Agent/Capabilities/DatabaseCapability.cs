using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Database: the check, the backup catalogue, backup, verify, prune and restore (where Agent:Database is configured).</summary>
public sealed class DatabaseCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<PostgresDatabase>();
        services.TryAddSingleton<BackupCatalogue>();
        services.TryAddSingleton<BackupWriter>();
        services.TryAddSingleton<BackupVerifier>();
        services.TryAddSingleton<BackupOperations>();
        services.TryAddSingleton<RestoreOperation>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<DatabaseService>();
}
