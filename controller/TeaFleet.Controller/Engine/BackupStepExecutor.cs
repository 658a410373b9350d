using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.backup</c>: Database.CreateBackup on the environment's database host (argument kind: quick, full, forensic, scheduled).</summary>
public sealed class BackupStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.DatabaseBackup;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.CreateBackup(new CreateBackupRequest
        {
            Header = header,
            Kind = BackupKinds.Parse(context.Step.Arguments.GetValueOrDefault("kind"))
                ?? throw FleetException.BadInput($"backup kind '{context.Step.Arguments["kind"]}' is not one of quick, full, forensic, scheduled."),
        }, options);
}
