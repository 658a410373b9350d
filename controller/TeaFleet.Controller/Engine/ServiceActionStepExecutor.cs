using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>services.stop</c> and <c>services.start</c>: Services.Stop or Start on a host (argument services: a
/// comma-separated list, or release-services). A start is verified by the agent (running, healthy, health URLs).
/// </summary>
public sealed class ServiceActionStepExecutor(string operation, AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => operation;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new ServiceActionRequest { Header = header };
        var services = context.Step.Arguments["services"];
        if (services != Plan.DefaultServices)
        {
            // None named: the agent acts on its release services (the app's code), never its data services.
            request.Services.AddRange(services.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        return operation == PlanOperations.ServicesStart ? agent.Services.Start(request, options) : agent.Services.Stop(request, options);
    }
}
