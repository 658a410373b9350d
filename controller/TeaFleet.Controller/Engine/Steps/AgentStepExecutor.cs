using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// A plan step that is one agent operation: starts it with the step's operation id, follows its
/// events to the end (re-attaching by id if the stream breaks, never re-issuing the call blindly)
/// and turns its final event into the step's outcome.
/// </summary>
public abstract class AgentStepExecutor<TStep>(AgentPool agents, OperationFollower follower, TimeProvider timeProvider) : StepExecutor<TStep>
    where TStep : AgentStep
{
    public override async Task<StepOutcome> ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken)
    {
        var host = context.Inventory.FindHost(step.Host)
            ?? throw FleetException.BadInput($"the plan names host '{step.Host}', which the inventory no longer has.");
        var agent = agents.Get(host);
        var header = new OperationHeader
        {
            OperationId = context.OperationId,
            RequestedBy = context.RequestedBy,
            Reason = context.Reason,
            RunId = context.RunId,
        };

        var logs = new List<string>();
        var final = await follower.RunAsync(
            agent,
            context.OperationId!,
            options => Start(agent, step, context, header, options),
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
                context.Report(new StepProgress(StepPhase.Reattach, "", message, -1, 0, timeProvider.GetUtcNow()));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        var data = final.Data.ToDictionary(d => d.Key, d => d.Value);
        return final.Phase switch
        {
            OperationPhase.Succeeded => StepOutcome.Success(final.Message.Length > 0 ? final.Message : "done", data),
            OperationPhase.Cancelled => new StepOutcome(StepResult.Cancelled, final.Message, data, logs.TakeLast(20).ToList()),
            _ => StepOutcome.Failure(final.Message.Length > 0 ? final.Message : "the operation failed", logs.TakeLast(20).ToList(), data),
        };
    }

    private StepProgress Convert(OperationEvent e) => new(
        OperationPhases.Of(e.Phase),
        e.Step,
        e.Message,
        e.Percent,
        e.Sequence,
        e.Time?.ToDateTimeOffset() ?? timeProvider.GetUtcNow());

    /// <summary>The streaming call that starts (or, with the same id, attaches to) the step's operation.</summary>
    protected abstract AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, TStep step, StepContext context, OperationHeader header, CallOptions options);
}
