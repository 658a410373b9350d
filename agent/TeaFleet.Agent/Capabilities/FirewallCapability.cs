using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Firewall;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Firewall: ufw's status and the block and allow of the host's public ports (Agent:Firewall).</summary>
public sealed class FirewallCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<Ufw>();
        services.TryAddSingleton<FirewallBlockFile>();
        services.TryAddSingleton<FirewallOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<FirewallService>();
}
