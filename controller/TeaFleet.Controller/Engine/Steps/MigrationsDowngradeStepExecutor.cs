using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>migrations.downgrade</c>: Migrations.Downgrade on the database host (steps and revision, which the
/// agent checks agree); the fresh backup is the one the step's backup step produced in this run.
/// </summary>
public sealed class MigrationsDowngradeStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<DowngradeStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, DowngradeStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Downgrade(new DowngradeMigrationsRequest
        {
            Header = header,
            Steps = step.Steps,
            Revision = step.Revision,
            BackupId = context.BackupIdOf(step.BackupStep),
        }, options);
}
