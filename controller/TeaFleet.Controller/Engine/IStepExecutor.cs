namespace TeaFleet.Controller.Engine;

/// <summary>Runs one kind of plan step (see PlanOperations).</summary>
public interface IStepExecutor
{
    string Operation { get; }

    Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
