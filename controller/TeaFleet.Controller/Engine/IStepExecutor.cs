using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>Runs one kind of plan step: the engine finds it by the step's type.</summary>
public interface IStepExecutor
{
    /// <summary>The step record this executor runs.</summary>
    Type StepType { get; }

    Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
