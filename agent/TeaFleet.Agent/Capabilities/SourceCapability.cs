using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Source;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Source: the app checkout's status, log, refs, fetch and checkout.</summary>
public sealed class SourceCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<GitRepository>();
        services.TryAddSingleton<SourceOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<SourceService>();
}
