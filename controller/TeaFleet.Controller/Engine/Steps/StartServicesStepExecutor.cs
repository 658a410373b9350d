using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>services.start</c>: Services.Start on a host, verified by the agent (running, healthy, health URLs). No services named: the release services.</summary>
public sealed class StartServicesStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<StartServicesStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StartServicesStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new ServiceActionRequest { Header = header };
        request.Services.AddRange(step.Services);
        return agent.Services.Start(request, options);
    }
}
