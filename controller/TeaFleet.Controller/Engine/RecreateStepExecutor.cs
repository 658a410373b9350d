using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>services.recreate</c>: Services.Recreate on a host (checkout, images, recreate, verify, ledger).</summary>
public sealed class RecreateStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.ServicesRecreate;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options)
    {
        var args = context.Step.Arguments;
        var request = new RecreateServicesRequest
        {
            Header = header,
            Commit = args["commit"],
            Kind = args.TryGetValue("kind", out var kind) ? kind : context.Plan.Kind,
            NoCache = args.GetValueOrDefault("no_cache") == "true",
        };
        if (args.TryGetValue("services", out var services) && services != Plan.DefaultServices)
        {
            request.Services.AddRange(services.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        return agent.Services.Recreate(request, options);
    }
}
