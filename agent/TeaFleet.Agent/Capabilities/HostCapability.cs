using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Host;
using TeaFleet.Agent.Operations.Services;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Host.GetInfo: what the host is and can do.</summary>
public sealed class HostCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<ServiceCatalog>();
        services.TryAddSingleton<HostOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<HostService>();
}
