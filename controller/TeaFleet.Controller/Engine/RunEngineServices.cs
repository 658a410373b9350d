using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// How the run engine is composed: the engine, what its executors share, and each step type registered
/// once with its executor. A command gets a ready engine from <see cref="Build"/>.
/// </summary>
public static class RunEngineServices
{
    /// <summary>The controller's own HTTP client for health URLs and smoke checks (short timeouts, one per process).</summary>
    internal static readonly HttpClient Http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The engine and what executors share: the operation follower, the health checker and HTTP client. The clock (a TimeProvider) comes from the caller.</summary>
    public static IServiceCollection AddRunEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(Http);
        services.TryAddTransient<OperationFollower>();
        services.TryAddSingleton<HealthChecker>();
        services.TryAddSingleton<RunEngine>();
        return services;
    }

    /// <summary>Every step type of the runbook's procedures, each with its executor.</summary>
    public static IServiceCollection AddRollbackSteps(this IServiceCollection services) =>
        services
            .AddStep<RecreateServicesStep, RecreateStepExecutor>()
            .AddStep<StopServicesStep, StopServicesStepExecutor>()
            .AddStep<StartServicesStep, StartServicesStepExecutor>()
            .AddStep<BackupStep, BackupStepExecutor>()
            .AddStep<VerifyBackupStep, VerifyStepExecutor>()
            .AddStep<PruneBackupsStep, PruneStepExecutor>()
            .AddStep<RestoreStep, RestoreStepExecutor>()
            .AddStep<CheckMigrationsStep, MigrationsCheckStepExecutor>()
            .AddStep<UpgradeStep, MigrationsUpgradeStepExecutor>()
            .AddStep<DowngradeStep, MigrationsDowngradeStepExecutor>()
            .AddStep<RenderDowngradeStep, MigrationsRenderStepExecutor>()
            .AddStep<RepairLeftoversStep, MigrationsRepairLeftoversStepExecutor>()
            .AddStep<CheckDatabaseStep, DatabaseCheckStepExecutor>()
            .AddStep<HealthCheckStep, HealthCheckStepExecutor>()
            .AddStep<SmokeTestStep, SmokeTestStepExecutor>()
            .AddStep<BlockTrafficStep, BlockTrafficStepExecutor>()
            .AddStep<AllowTrafficStep, AllowTrafficStepExecutor>()
            .AddStep<FlushQueueStep, FlushQueueStepExecutor>()
            .AddStep<MonitorStep, MonitorStepExecutor>()
            .AddStep<EnableMaintenanceStep, EnableMaintenanceStepExecutor>()
            .AddStep<DisableMaintenanceStep, DisableMaintenanceStepExecutor>()
            .AddStep<CollectForensicsStep, CollectForensicsStepExecutor>();

    /// <summary>Registers the executor of one step type (the engine finds it by <see cref="IStepExecutor.StepType"/>).</summary>
    public static IServiceCollection AddStep<TStep, TExecutor>(this IServiceCollection services)
        where TStep : PlanStep
        where TExecutor : class, IStepExecutor<TStep>
    {
        services.AddSingleton<IStepExecutor, TExecutor>();
        return services;
    }

    /// <summary>An engine whose agent steps go through <paramref name="agents"/> (one pool per command, built from its inventory).</summary>
    public static RunEngine Build(AgentPool agents, TimeProvider timeProvider)
    {
        // The pool belongs to the command (it disposes it); the provider only borrows it.
        var provider = new ServiceCollection()
            .AddSingleton(agents)
            .AddSingleton(timeProvider)
            .AddRunEngine()
            .AddRollbackSteps()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return provider.GetRequiredService<RunEngine>();
    }
}
