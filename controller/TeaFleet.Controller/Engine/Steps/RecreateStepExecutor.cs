using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>services.recreate</c>: Services.Recreate on a host (checkout, images, recreate, verify, ledger). No services named: the agent's release services.</summary>
public sealed class RecreateStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor<RecreateServicesStep>(agents, follower, timeProvider)
{
    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, RecreateServicesStep step, StepContext context, OperationHeader header, CallOptions options)
    {
        var request = new RecreateServicesRequest
        {
            Header = header,
            Commit = step.Commit,
            Kind = step.Kind.Word(),
            NoCache = step.NoCache,
        };
        request.Services.AddRange(step.Services);
        return agent.Services.Recreate(request, options);
    }
}
