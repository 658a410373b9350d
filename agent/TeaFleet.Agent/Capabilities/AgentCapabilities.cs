namespace TeaFleet.Agent.Capabilities;

/// <summary>Every capability the agent offers, registered and mapped in this order.</summary>
public static class AgentCapabilities
{
    public static readonly IReadOnlyList<ICapability> All =
    [
        new HostCapability(),
        new OperationsCapability(),
        new LeasesCapability(),
        new ServicesCapability(),
        new SourceCapability(),
        new ReleasesCapability(),
        new DatabaseCapability(),
        new MigrationsCapability(),
        new FirewallCapability(),
        new QueueCapability(),
        new MaintenanceCapability(),
        new ForensicsCapability(),
    ];

    /// <summary>Registers every capability's services.</summary>
    public static IServiceCollection AddCapabilities(this IServiceCollection services)
    {
        foreach (var capability in All)
        {
            capability.AddServices(services);
        }

        return services;
    }

    /// <summary>Maps every capability's gRPC service.</summary>
    public static IEndpointRouteBuilder MapCapabilities(this IEndpointRouteBuilder endpoints)
    {
        foreach (var capability in All)
        {
            capability.Map(endpoints);
        }

        return endpoints;
    }
}
