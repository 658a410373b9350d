using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>maintenance.disable</c>: Maintenance.Disable on a host.</summary>
public sealed class DisableMaintenanceStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<DisableMaintenanceStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, DisableMaintenanceStep step, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Maintenance.Disable(new DisableMaintenanceRequest { Header = header }, options);
}
