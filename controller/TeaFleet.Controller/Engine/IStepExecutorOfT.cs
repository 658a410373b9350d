using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>Runs the steps of type <typeparamref name="TStep"/>.</summary>
public interface IStepExecutor<in TStep> : IStepExecutor
    where TStep : PlanStep
{
    Task<StepOutcome> ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken);
}
