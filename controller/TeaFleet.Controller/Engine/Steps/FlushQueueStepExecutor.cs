using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>queue.flush</c>: Queue.Flush on a host (no queues named: every queue of its Agent:Queue).</summary>
public sealed class FlushQueueStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<FlushQueueStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, FlushQueueStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new FlushQueueRequest { Header = header };
        request.Queues.AddRange(step.Queues);
        return agent.Queue.Flush(request, options);
    }
}
