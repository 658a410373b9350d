using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>migrations.check</c>: Migrations.Check on the database host.</summary>
public sealed class MigrationsCheckStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<CheckMigrationsStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, CheckMigrationsStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Check(new CheckMigrationsRequest { Header = header, ExpectHead = step.ExpectHead }, options);
}
