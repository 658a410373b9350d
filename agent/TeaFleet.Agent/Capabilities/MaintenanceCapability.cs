using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Maintenance;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Maintenance: the app's maintenance page, a flag file its nginx checks per request (where Agent:Maintenance is configured).</summary>
public sealed class MaintenanceCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<MaintenanceDirectory>();
        services.TryAddSingleton<MaintenanceOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<MaintenanceService>();
}
