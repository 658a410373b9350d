using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.prune</c>: Database.PruneBackups by the host's retention policy (argument dry_run: true lists, deletes nothing).</summary>
public sealed class PruneStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.DatabasePrune;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.PruneBackups(new PruneBackupsRequest { Header = header, DryRun = context.Step.Arguments.GetValueOrDefault("dry_run") == "true" }, options);
}
