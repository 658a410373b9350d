using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>The controller's own check of health URLs after a host (or the whole environment) switched.</summary>
public sealed class HealthCheckStepExecutor(HealthChecker checker) : IStepExecutor
{
    public string Operation => PlanOperations.HealthCheck;

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var urls = context.Step.Arguments.TryGetValue("urls", out var text)
            ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToList()
            : [];
        return urls.Count == 0
            ? Task.FromResult(StepOutcome.Success("no health URLs to check"))
            : checker.CheckAsync(urls, HealthChecker.DefaultWindow, context.Report, cancellationToken);
    }
}
