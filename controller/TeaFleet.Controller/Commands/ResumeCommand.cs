using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// <c>teafleet resume RUN_ID</c>: continues a stopped or crashed run. A step whose last attempt has no end
/// in the journal is issued again with the same operation id, so the agent attaches to the operation it
/// already has; a step whose last attempt failed, was cancelled or interrupted (or that the agent answers
/// so on re-attach) is retried as a new attempt with a new operation id (<see cref="StepResumption"/>). A run
/// that another run came in after is refused as stale (<see cref="StaleRun"/>): plan again.
/// </summary>
public sealed class ResumeCommand(IAnsiConsole console, TimeProvider timeProvider, IFleetReaderFactory readers) : FleetCommand<ResumeSettings>(console)
{
    protected override async Task<int> RunAsync(ResumeSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var inventory = LoadInventory(settings);
        var run = new RunStore(inventory.RunsDir).Get(settings.RunId);
        if (run.Result == StepResult.Succeeded)
        {
            ResumePrinter.NothingToResume(output, run);
            return ExitCodes.Done;
        }

        var environment = Environment(inventory, run.Environment);
        var pending = run.UnfinishedSteps.Select(s => StepResumption.For(run.RunId, s, run.Steps.GetValueOrDefault(s.Index))).ToList();
        ResumePrinter.Resuming(output, run, pending);
        using var agents = new AgentPool(inventory, timeProvider);
        // The same run takes its lease again (the agents renew it if it still holds).
        await using var lease = await HoldAsync(readers.Leases(agents), inventory, environment, run.RunId, run.Who, output, timeProvider, cancellationToken).ConfigureAwait(false);
        var reader = readers.Create(agents);
        await StaleRun.CheckAsync(reader, environment, run, cancellationToken).ConfigureAwait(false);
        var driver = new RunDriver(inventory, agents, timeProvider, output, reader);
        driver.Confirm(environment, run.Plan, settings.Yes);
        return await driver.ResumeAsync(run, lease, hint => ReattachHint = hint, cancellationToken).ConfigureAwait(false);
    }
}
