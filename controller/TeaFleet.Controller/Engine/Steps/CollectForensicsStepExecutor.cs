using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>forensics.collect</c>: Forensics.Collect on a host; its result names the bundle (and, on the database host, the forensic backup).</summary>
public sealed class CollectForensicsStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<CollectForensicsStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, CollectForensicsStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Forensics.Collect(new CollectForensicsRequest { Header = header, LogLines = step.LogLines }, options);
}
