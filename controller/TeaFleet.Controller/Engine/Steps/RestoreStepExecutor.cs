using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.restore</c>: Database.Restore of a catalogued backup (verify, safety backup, restore, check).</summary>
public sealed class RestoreStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<RestoreStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, RestoreStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.Restore(new RestoreRequest { Header = header, BackupId = step.BackupStep is { } backupStep ? context.BackupIdOf(backupStep) : step.BackupId }, options);
}
