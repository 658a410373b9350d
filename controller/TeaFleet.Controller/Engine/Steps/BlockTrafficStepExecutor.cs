using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>firewall.block</c>: Firewall.Block on a host (no ports named: its configured public ports).</summary>
public sealed class BlockTrafficStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<BlockTrafficStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, BlockTrafficStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new FirewallRequest { Header = header, KeepCaller = step.KeepCaller };
        request.Ports.AddRange(step.Ports);
        return agent.Firewall.Block(request, options);
    }
}
