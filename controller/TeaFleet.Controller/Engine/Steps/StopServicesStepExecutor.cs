using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>services.stop</c>: Services.Stop on a host. No services named: the agent's release services (the app's code), never its data services.</summary>
public sealed class StopServicesStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<StopServicesStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StopServicesStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new ServiceActionRequest { Header = header };
        request.Services.AddRange(step.Services);
        return agent.Services.Stop(request, options);
    }
}
