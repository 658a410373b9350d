using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Operations;

/// <summary>Stop, start and restart of the app's services, one operation each, through the Docker Engine API.</summary>
public sealed class ServiceOperations(
    OperationManager operations,
    ServiceCatalog catalog,
    IContainerRuntime runtime,
    ServiceVerifier verifier,
    IOptions<AgentOptions> options)
{
    public const string StopKind = "services.stop";
    public const string StartKind = "services.start";
    public const string RestartKind = "services.restart";

    public OperationRecord Stop(ServiceActionRequest request, string caller) =>
        Act(request, caller, StopKind, "stop", async (container, ct) =>
        {
            if (container.State is "exited" or "created" or "dead")
            {
                return "already stopped";
            }

            await runtime.StopAsync(container.ContainerId, options.Value.App.StopTimeoutSeconds, ct);
            return "stopped";
        }, verifyAfter: false);

    public OperationRecord Start(ServiceActionRequest request, string caller) =>
        Act(request, caller, StartKind, "start", async (container, ct) =>
        {
            if (container.State == "running")
            {
                return "already running";
            }

            await runtime.StartAsync(container.ContainerId, ct);
            return "started";
        }, verifyAfter: true);

    public OperationRecord Restart(ServiceActionRequest request, string caller) =>
        Act(request, caller, RestartKind, "restart", async (container, ct) =>
        {
            await runtime.RestartAsync(container.ContainerId, options.Value.App.StopTimeoutSeconds, ct);
            return "restarted";
        }, verifyAfter: true);

    private OperationRecord Act(
        ServiceActionRequest request,
        string caller,
        string kind,
        string verb,
        Func<ContainerState, CancellationToken, Task<string>> action,
        bool verifyAfter)
    {
        var existing = operations.TryAttach(request.Header, kind);
        if (existing is not null)
        {
            return existing;
        }

        var services = catalog.Select(request.Services, catalog.ReleaseDefault);
        return operations.Start(request.Header, kind, string.Join(",", services), caller, async context =>
        {
            var ct = context.CancellationToken;
            var containers = await runtime.ListServicesAsync(options.Value.App.ProjectName, ct);
            foreach (var service in services)
            {
                await context.StepAsync($"{verb} {service}", $"{verb} {service}", async () =>
                {
                    if (!containers.TryGetValue(service, out var container))
                    {
                        throw new InvalidOperationException($"{service} has no container on this host; deploy it first (teafleet deploy)");
                    }

                    return await action(container, ct);
                });
            }

            if (verifyAfter)
            {
                await context.StepAsync("verify", "wait for the services to run and be healthy", () =>
                    verifier.VerifyAsync(services, null, TimeSpan.FromSeconds(options.Value.App.VerifyTimeoutSeconds), line => context.Log("verify", line), ct));
            }

            return null;
        });
    }
}
