using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>migrations.repair-leftovers</c>: Migrations.RepairLeftovers on the database host; the fresh backup is
/// the one the step's backup step produced in this run (its journaled result), else the agent takes one.
/// </summary>
public sealed class MigrationsRepairLeftoversStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<RepairLeftoversStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, RepairLeftoversStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.RepairLeftovers(new RepairLeftoversRequest
        {
            Header = header,
            BackupId = context.BackupIdOf(step.BackupStep),
        }, options);
}
