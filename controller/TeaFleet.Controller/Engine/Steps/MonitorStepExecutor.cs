using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>monitor</c>: the watch after a rollback, on the whole environment (controller host) or one host.</summary>
public sealed class MonitorStepExecutor(AgentPool agents, TimeProvider timeProvider) : StepExecutor<MonitorStep>
{
    public override Task<StepOutcome> ExecuteAsync(MonitorStep step, StepContext context, CancellationToken cancellationToken)
    {
        var environment = context.Inventory.Environments.FirstOrDefault(e => e.Name == context.Plan.Environment);
        if (environment is null)
        {
            return Task.FromResult(StepOutcome.Failure($"the inventory has no environment '{context.Plan.Environment}' any more"));
        }

        var hosts = step.Host == PlanStep.ControllerHost ? environment.Hosts : environment.Hosts.Where(h => h.Name == step.Host).ToList();
        return new MonitorWatch(new AgentFleetReader(agents), timeProvider)
            .RunAsync(environment.Monitor, hosts, step.Urls, step.Window, step.Interval, context.Report, cancellationToken);
    }
}
