using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Services;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Services: list, logs, stop, start, restart (Recreate is the Releases capability's switcher).</summary>
public sealed class ServicesCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.AddHttpClient(HealthProber.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
        services.TryAddSingleton<HealthProber>();
        services.TryAddSingleton<ServiceCatalog>();
        services.TryAddSingleton<ServiceVerifier>();
        services.TryAddSingleton<GitRepository>();
        services.TryAddSingleton<ComposeProject>();
        services.TryAddSingleton<ServiceOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<ServicesService>();
}
