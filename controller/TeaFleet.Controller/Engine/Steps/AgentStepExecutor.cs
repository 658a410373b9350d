using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// A plan step that is one agent operation: starts it with the step's operation id, follows its
/// events to the end (re-attaching by id if the stream breaks, never re-issuing the call blindly)
/// and turns its final event into the step's outcome.
/// <para>
/// A resumed run's re-attach (<see cref="StepContext.Reattach"/>) asks the agent first
/// (<c>Operations.Get</c>): the event stream looks the same whether the agent replays an ended operation
/// or follows a live one, the operation's state does not. An operation that had already ended failed,
/// cancelled or interrupted is not sent again; its end comes back as <see cref="StepOutcome.Replayed"/>.
/// One that runs, succeeded, or that the agent never received is sent again with the same id (attach).
/// If the agent then ends it with a failure, its state says whether the agent died under it (interrupted).
/// </para>
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

        if (context.Reattach && await StateAsync(agent, context.OperationId!, cancellationToken).ConfigureAwait(false) is { } known
            && known.State is OperationState.Failed or OperationState.Cancelled or OperationState.Interrupted)
        {
            context.Report(new StepProgress(StepPhase.Reattach, "", $"operation {known.OperationId} had already ended on {step.Host}: {Word(known.State)} at {known.EndedAt?.ToDateTimeOffset():u}", -1, 0, timeProvider.GetUtcNow()));
            return new StepOutcome(ResultOf(known.State), known.Message.Length > 0 ? known.Message : $"the operation was {Word(known.State)}", new Dictionary<string, string>(), [])
            {
                Replayed = true,
            };
        }

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
        if (context.Reattach && final.Phase == OperationPhase.Failed
            && await StateAfterEndAsync(agent, context.OperationId!, cancellationToken).ConfigureAwait(false) is { State: OperationState.Interrupted })
        {
            // The agent died under the operation we re-attached to, and closed it as interrupted when it came back.
            return new StepOutcome(StepResult.Interrupted, final.Message, data, logs.TakeLast(20).ToList());
        }

        return final.Phase switch
        {
            OperationPhase.Succeeded => StepOutcome.Success(final.Message.Length > 0 ? final.Message : "done", data),
            OperationPhase.Cancelled => new StepOutcome(StepResult.Cancelled, final.Message, data, logs.TakeLast(20).ToList()),
            _ => StepOutcome.Failure(final.Message.Length > 0 ? final.Message : "the operation failed", logs.TakeLast(20).ToList(), data),
        };
    }

    /// <summary>What the agent knows of the operation, or null when it has none with that id (it never received it).</summary>
    private static async Task<OperationInfo?> StateAsync(AgentConnection agent, string operationId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await agent.CallAsync(o => agent.Operations.GetAsync(new GetOperationRequest { OperationId = operationId }, o), cancellationToken).ConfigureAwait(false);
            return answer.Operation;
        }
        catch (FleetException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return null;
        }
    }

    /// <summary>The state after the final event was seen: the failure is known either way, so an agent that cannot answer now leaves it a plain failure.</summary>
    private static async Task<OperationInfo?> StateAfterEndAsync(AgentConnection agent, string operationId, CancellationToken cancellationToken)
    {
        try
        {
            return await StateAsync(agent, operationId, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            return null;
        }
    }

    private static StepResult ResultOf(OperationState state) => state switch
    {
        OperationState.Cancelled => StepResult.Cancelled,
        OperationState.Interrupted => StepResult.Interrupted,
        _ => StepResult.Failed,
    };

    private static string Word(OperationState state) => ResultOf(state).Word();

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
