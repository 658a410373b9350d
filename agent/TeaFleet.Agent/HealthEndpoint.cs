using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent;

/// <summary>GET /healthz for uptime monitors: 200 while the agent, Docker and the state dir are fine, else 503, with a small JSON body.</summary>
public static class HealthEndpoint
{
    public static async Task<IResult> HandleAsync(IContainerRuntime runtime, IOptions<AgentOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        string docker;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            docker = "ok " + await runtime.GetVersionAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is AgentException or OperationCanceledException or HttpRequestException)
        {
            docker = "error: " + ex.Message;
        }

        string state;
        try
        {
            var probe = Path.Combine(options.Value.StateDir, ".healthz");
            await File.WriteAllTextAsync(probe, clock.GetUtcNow().ToString("O"), cancellationToken);
            state = "ok";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state = "error: " + ex.Message;
        }

        var healthy = docker.StartsWith("ok", StringComparison.Ordinal) && state == "ok";
        var body = new HealthReport(options.Value.HostName, "ok", AgentVersion.Current, docker, state, MemoryReport.Now());
        return Results.Json(body, HealthReportJsonContext.Default.HealthReport, statusCode: healthy ? 200 : 503);
    }
}
