using TeaFleet.Agent.Grpc;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Leases: acquire, renew, release and get the environment lease (the keeper is the agent's core: the operation manager checks it).</summary>
public sealed class LeasesCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<LeasesService>();
}
