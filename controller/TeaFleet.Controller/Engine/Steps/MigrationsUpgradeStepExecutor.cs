using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>migrations.upgrade</c>: Migrations.Upgrade on the database host; the fresh backup is the one the
/// step's backup step produced in this run (its journaled result), else the agent takes one.
/// </summary>
public sealed class MigrationsUpgradeStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<UpgradeStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, UpgradeStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Upgrade(new UpgradeMigrationsRequest
        {
            Header = header,
            Revision = step.Revision,
            BackupId = context.BackupIdOf(step.BackupStep),
            Commit = step.Commit,
        }, options);
}
