using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>migrations.check</c>: Migrations.Check on the database host (argument expect_head, optional).</summary>
public sealed class MigrationsCheckStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.MigrationsCheck;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Migrations.Check(new CheckMigrationsRequest { Header = header, ExpectHead = context.Step.Arguments.GetValueOrDefault("expect_head") ?? "" }, options);
}
