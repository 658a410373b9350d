using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Capabilities;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Operations.Leases;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>The agent's core (options, the operation manager, its state, Docker, gRPC) and every capability.</summary>
    public static IServiceCollection AddAgent(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateOnStart();
        // The composition root: the one place that names the system clock; everything else takes a TimeProvider.
#pragma warning disable RS0030
        services.AddSingleton(TimeProvider.System);
#pragma warning restore RS0030

        // State every capability shares: survives kill -9 (the lock is memory: a dead agent holds nothing).
        services.AddSingleton<ReleaseLedger>();
        services.AddSingleton<OperationJournal>();
        services.AddSingleton<HostLock>();
        // The environment lease survives a restart (state/lease.json); the operation manager checks it.
        services.AddSingleton<LeaseFile>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<OperationManager>();
        services.AddSingleton<IdleTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleTrimmer>());

        // Adapters more than one capability needs.
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddSingleton<IContainerRuntime, DockerRuntime>();

        services.AddCapabilities();

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks().AddCheck<DockerHealthCheck>("docker");
        return services;
    }
}
