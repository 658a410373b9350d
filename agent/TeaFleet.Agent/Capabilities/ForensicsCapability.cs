using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Forensics;

namespace TeaFleet.Agent.Capabilities;

/// <summary>Forensics: the incident's evidence collected into a bundle under the state dir (runbook scenario 5).</summary>
public sealed class ForensicsCapability : ICapability
{
    public void AddServices(IServiceCollection services) => services.TryAddSingleton<ForensicsOperations>();

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<ForensicsService>();
}
