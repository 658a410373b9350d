using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>Runs <c>Services.Recreate</c> on a host with the step's operation id and follows it to its end (re-attaching if the stream breaks).</summary>
public sealed class RecreateStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider) : IStepExecutor
{
    public string Operation => PlanOperations.ServicesRecreate;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var host = context.Inventory.FindHost(context.Step.Host)
            ?? throw FleetException.BadInput($"the plan names host '{context.Step.Host}', which the inventory no longer has.");
        var agent = agents.Get(host);
        var args = context.Step.Arguments;
        var request = new RecreateServicesRequest
        {
            Header = new OperationHeader
            {
                OperationId = context.OperationId,
                RequestedBy = context.RequestedBy,
                Reason = context.Reason,
                RunId = context.RunId,
            },
            Commit = args["commit"],
            Kind = args.TryGetValue("kind", out var kind) ? kind : context.Plan.Kind,
        };
        if (args.TryGetValue("services", out var services) && services != Plan.DefaultServices)
        {
            request.Services.AddRange(services.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        var logs = new List<string>();
        var final = await follower.RunAsync(
            agent,
            context.OperationId!,
            options => agent.Services.Recreate(request, options),
            e =>
            {
                if (e.Phase == OperationPhase.Log)
                {
                    logs.Add(e.Message);
                    if (logs.Count > 50)
                    {
                        logs.RemoveAt(0);
                    }
                }

                context.Report(Convert(e));
                return ValueTask.CompletedTask;
            },
            message =>
            {
                context.Report(new StepProgress("reattach", "", message, -1, 0, timeProvider.GetUtcNow()));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        var data = final.Data.ToDictionary(d => d.Key, d => d.Value);
        return final.Phase switch
        {
            OperationPhase.Succeeded => StepOutcome.Success(final.Message.Length > 0 ? final.Message : "recreated", data),
            OperationPhase.Cancelled => new StepOutcome(RunResults.Cancelled, final.Message, data, logs.TakeLast(20).ToList()),
            _ => StepOutcome.Failure(final.Message.Length > 0 ? final.Message : "the operation failed", logs.TakeLast(20).ToList(), data),
        };
    }

    public static StepProgress Convert(OperationEvent e) => new(
        PhaseName(e.Phase),
        e.Step,
        e.Message,
        e.Percent,
        e.Sequence,
        e.Time?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow);

    public static string PhaseName(OperationPhase phase) => phase switch
    {
        OperationPhase.Started => "started",
        OperationPhase.Progress => "progress",
        OperationPhase.Log => "log",
        OperationPhase.Succeeded => "succeeded",
        OperationPhase.Failed => "failed",
        OperationPhase.Cancelled => "cancelled",
        _ => "unspecified",
    };
}
