using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>migrations.upgrade</c>: Migrations.Upgrade on the database host (argument revision; backup_step
/// names the plan step whose backup counts as the fresh one).
/// </summary>
public sealed class MigrationsUpgradeStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.MigrationsUpgrade;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Upgrade(new UpgradeMigrationsRequest
        {
            Header = header,
            Revision = context.Step.Arguments.GetValueOrDefault("revision") ?? "head",
            BackupId = FreshBackup.Of(agent, context, options),
        }, options);
}
