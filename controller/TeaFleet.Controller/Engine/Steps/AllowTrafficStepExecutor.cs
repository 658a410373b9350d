using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>firewall.allow</c>: Firewall.Allow on a host (no ports named: its configured public ports).</summary>
public sealed class AllowTrafficStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<AllowTrafficStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, AllowTrafficStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new FirewallRequest { Header = header };
        request.Ports.AddRange(step.Ports);
        return agent.Firewall.Allow(request, options);
    }
}
