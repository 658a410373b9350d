using System.Globalization;
using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>migrations.downgrade</c>: Migrations.Downgrade on the database host (arguments steps and
/// revision, which the agent checks agree; backup_step as for the upgrade).
/// </summary>
public sealed class MigrationsDowngradeStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.MigrationsDowngrade;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Downgrade(new DowngradeMigrationsRequest
        {
            Header = header,
            Steps = int.Parse(context.Step.Arguments.GetValueOrDefault("steps") ?? "0", CultureInfo.InvariantCulture),
            Revision = context.Step.Arguments.GetValueOrDefault("revision") ?? "",
            BackupId = FreshBackup.Of(agent, context, options),
        }, options);
}
