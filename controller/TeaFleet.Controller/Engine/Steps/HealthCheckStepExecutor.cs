using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>The controller's own check of health URLs after a host (or the whole environment) switched.</summary>
public sealed class HealthCheckStepExecutor(HealthChecker checker) : StepExecutor<HealthCheckStep>
{
    public override Task<StepOutcome> ExecuteAsync(HealthCheckStep step, StepContext context, CancellationToken cancellationToken) =>
        step.Urls.Count == 0
            ? Task.FromResult(StepOutcome.Success("no health URLs to check"))
            : checker.CheckAsync(step.Urls, HealthChecker.DefaultWindow, context.Report, cancellationToken);
}
