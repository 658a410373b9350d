using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Database;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>Options, state, adapters and operations of the agent.</summary>
    public static IServiceCollection AddAgent(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);

        // State: survives kill -9.
        services.AddSingleton<ReleaseLedger>();
        services.AddSingleton<OperationJournal>();
        services.AddSingleton<HostLock>();
        services.AddSingleton<IdleTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleTrimmer>());

        // Adapters: one per outside system.
        services.AddSingleton<ProcessRunner>();
        services.AddSingleton<GitRepository>();
        services.AddSingleton<ComposeProject>();
        services.AddSingleton<IContainerRuntime, DockerRuntime>();
        services.AddHttpClient(HealthProber.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
        services.AddSingleton<HealthProber>();
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<BackupCatalogue>();

        // Operations: what a step means.
        services.AddSingleton<OperationManager>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<ServiceVerifier>();
        services.AddSingleton<ServiceOperations>();
        services.AddSingleton<ReleaseSwitcher>();
        services.AddSingleton<SourceOperations>();
        services.AddSingleton<BackupOperations>();
        services.AddSingleton<Migrations.MigrationOperations>();

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks().AddCheck<DockerHealthCheck>("docker");
        return services;
    }
}
