using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>The typed base of executors: the engine calls the untyped side, the executor sees its own step record.</summary>
public abstract class StepExecutor<TStep> : IStepExecutor<TStep>
    where TStep : PlanStep
{
    public Type StepType => typeof(TStep);

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken) =>
        context.Step is TStep step
            ? ExecuteAsync(step, context, cancellationToken)
            : throw new InvalidOperationException($"{GetType().Name} runs {typeof(TStep).Name} steps, not {context.Step.GetType().Name}.");

    public abstract Task<StepOutcome> ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken);
}
