using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.backup</c>: Database.CreateBackup on the environment's database host; the result carries the backup's id.</summary>
public sealed class BackupStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<BackupStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, BackupStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.CreateBackup(new CreateBackupRequest { Header = header, Kind = step.Kind }, options);
}
