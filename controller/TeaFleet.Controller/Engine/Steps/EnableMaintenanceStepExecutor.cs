using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>maintenance.enable</c>: Maintenance.Enable on a host (with the controller's address as a pass when the step keeps the caller).</summary>
public sealed class EnableMaintenanceStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<EnableMaintenanceStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, EnableMaintenanceStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Maintenance.Enable(new EnableMaintenanceRequest { Header = header, Reason = step.Reason, KeepCaller = step.KeepCaller }, options);
}
