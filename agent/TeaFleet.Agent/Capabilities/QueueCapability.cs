using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Queue;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Queue: the app's job queues in Redis, status and flush of the configured keys only (where Agent:Queue is configured).</summary>
public sealed class QueueCapability : ICapability
{
    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<IRedisClient, RespClient>();
        services.TryAddSingleton<RedisQueue>();
        services.TryAddSingleton<QueueOperations>();
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<QueueService>();
}
