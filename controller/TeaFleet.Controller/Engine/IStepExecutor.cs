namespace TeaFleet.Controller.Engine;

/// <summary>Runs one kind of plan step (see PlanOperations). Type 2/3 steps plug in as more executors.</summary>
public interface IStepExecutor
{
    string Operation { get; }

    Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
