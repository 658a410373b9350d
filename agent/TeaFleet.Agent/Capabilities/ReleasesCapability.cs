using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Releases;
using TeaFleet.Agent.Operations.Services;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Releases: the ledger's list, and the switch of services to a release (served as Services.Recreate).</summary>
public sealed class ReleasesCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<GitRepository>();
        services.TryAddSingleton<ComposeProject>();
        services.TryAddSingleton<ServiceCatalog>();
        services.TryAddSingleton<ServiceVerifier>();
        services.TryAddSingleton<RollingHandover>();
        services.TryAddSingleton<ReleaseSwitcher>();
        services.TryAddSingleton<ReleaseHistory>();
        services.TryAddSingleton<ServiceSetReader>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<ReleasesService>();
}
