using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>migrations.render</c>: Migrations.Downgrade with offline = true on the database host: the chain rendered as SQL, nothing changed.</summary>
public sealed class MigrationsRenderStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<RenderDowngradeStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, RenderDowngradeStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Downgrade(new DowngradeMigrationsRequest
        {
            Header = header,
            Steps = step.Steps,
            Revision = step.Revision,
            Offline = true,
        }, options);
}
