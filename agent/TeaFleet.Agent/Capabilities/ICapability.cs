namespace TeaFleet.Agent.Capabilities;

/// <summary>
/// One thing the agent can do on its host (services, source, releases, database, migrations...):
/// the DI services its operations, adapters and state need, and the gRPC service that exposes it.
/// A new capability (firewall, queue) is one more implementation, listed in AgentCapabilities.All.
/// </summary>
public interface ICapability
{
    void AddServices(IServiceCollection services);

    void Map(IEndpointRouteBuilder endpoints);
}
