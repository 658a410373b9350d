using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.prune</c>: Database.PruneBackups by the host's retention policy (a dry run lists, deletes nothing).</summary>
public sealed class PruneStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<PruneBackupsStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, PruneBackupsStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.PruneBackups(new PruneBackupsRequest { Header = header, DryRun = step.DryRun }, options);
}
