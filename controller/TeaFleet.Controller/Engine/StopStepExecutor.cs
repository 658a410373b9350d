using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>services.stop</c>: Services.Stop on a host (argument services: a comma-separated list, or release-services).</summary>
public sealed class StopStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.ServicesStop;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new ServiceActionRequest { Header = header };
        var services = context.Step.Arguments["services"];
        if (services != Plan.DefaultServices)
        {
            // None named: the agent stops its release services (the app's code), never its data services.
            request.Services.AddRange(services.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        return agent.Services.Stop(request, options);
    }
}
