using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.verify</c>: Database.VerifyBackup of one catalogued backup.</summary>
public sealed class VerifyStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<VerifyBackupStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, VerifyBackupStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.VerifyBackup(new VerifyBackupRequest { Header = header, BackupId = step.BackupId }, options);
}
