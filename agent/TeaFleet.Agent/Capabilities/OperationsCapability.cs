using TeaFleet.Agent.Grpc;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Operations: watch, get, list and cancel operations (the manager, journal and lock are the agent's core).</summary>
public sealed class OperationsCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<OperationsService>();
}
