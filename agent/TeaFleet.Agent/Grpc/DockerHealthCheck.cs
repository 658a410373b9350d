using Microsoft.Extensions.Diagnostics.HealthChecks;
using TeaFleet.Agent.Adapters;

namespace TeaFleet.Agent.Grpc;

/// <summary>grpc.health.v1 and /healthz: the agent is serving only while the host's Docker answers.</summary>
public sealed class DockerHealthCheck(IContainerRuntime runtime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var version = await runtime.GetVersionAsync(timeout.Token);
            return HealthCheckResult.Healthy($"docker {version}");
        }
        catch (Exception ex) when (ex is AgentException or OperationCanceledException or HttpRequestException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
