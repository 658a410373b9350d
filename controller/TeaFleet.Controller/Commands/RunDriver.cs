using Spectre.Console;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>Starts or resumes a run of a plan: confirmation, journal, engine, progress, report, and the runbook's next move.</summary>
/// <remarks>Given a fleet reader, a run that changed what runs ends with what is down on each host (<see cref="ServicesAfterRun"/>).</remarks>
public sealed class RunDriver(FleetInventory inventory, AgentPool agents, TimeProvider timeProvider, CommandOutput output, IFleetReader? reader = null)
{
    /// <summary>Asks for confirmation on gated environments unless --yes; refuses without a terminal.</summary>
    public void Confirm(EnvironmentConfig environment, Plan plan, bool yes)
    {
        if (!environment.IsGated || yes)
        {
            return;
        }

        if (!output.CanPrompt)
        {
            throw FleetException.Refused(
                $"'{environment.Name}' needs a confirmation and there is no interactive terminal to ask on.",
                "Pass --yes to confirm on the command line.");
        }

        var question = plan.Procedure.Confirmation(environment, plan);
        if (!output.Console.Confirm(CommandOutput.Esc(question), defaultValue: false))
        {
            throw FleetException.Refused("not confirmed; nothing was changed.");
        }
    }

    /// <summary>
    /// The drill gate: refuses (exit 4, with the drill to run, never a no-op: given the planner, staging's
    /// state is read to say what must come first) or says why the plan may run on a gated environment.
    /// </summary>
    public async Task<DrillDecision> CheckDrillAsync(EnvironmentConfig environment, Plan plan, bool skipDrill, string? reason, Planner? planner, CancellationToken cancellationToken)
    {
        var drill = new DrillGate(timeProvider).Check(inventory, plan, DrillGate.Candidates(inventory, plan), skipDrill, reason);
        if (!drill.Allowed)
        {
            if (planner is not null)
            {
                drill = await DrillPreparation.AdviseAsync(drill, planner, inventory, environment, plan, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            throw FleetException.Refused(drill.Message, drill.Advice is null ? null : $"Run the drill first: {drill.Advice}");
        }

        if (environment.IsGated)
        {
            DrillPrinter.PrintPassed(output, drill);
        }

        return drill;
    }

    /// <summary>
    /// What every drill-gated command (rollback, restore, repair) does with its plan: the drill gate,
    /// the confirmation, then the run with its flags journaled.
    /// </summary>
    public async Task<int> GateAndStartAsync(EnvironmentConfig environment, Plan plan, EnvironmentLease lease, string who, bool yes, bool skipDrill, string? reason, string command, Action<string> setReattachHint, CancellationToken cancellationToken, Planner? planner = null)
    {
        var drill = await CheckDrillAsync(environment, plan, skipDrill, reason, planner, cancellationToken).ConfigureAwait(false);
        Confirm(environment, plan, yes);
        var flags = new RunFlags(inventory.Path, yes, skipDrill, reason, drill.DrillRunId, command);
        return await StartAsync(plan, lease, who, flags, setReattachHint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the run under the id its lease was taken for; the lease is checked before every step.</summary>
    public async Task<int> StartAsync(Plan plan, EnvironmentLease lease, string who, RunFlags flags, Action<string> setReattachHint, CancellationToken cancellationToken)
    {
        using var journal = RunJournal.Create(inventory.RunsDir, lease.RunId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunStarted, Time = timeProvider.GetUtcNow(), Plan = plan, Who = who, Flags = flags });
        return await ExecuteAsync(journal, plan, lease, new HashSet<int>(), who, flags.Reason ?? "", setReattachHint, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ResumeAsync(RunRecord run, EnvironmentLease lease, Action<string> setReattachHint, CancellationToken cancellationToken)
    {
        var succeeded = run.DoneSteps;
        using var journal = RunJournal.Append(run.Path, run.RunId);
        journal.Write(new JournalEntry { Type = JournalEntry.RunResumed, Time = timeProvider.GetUtcNow(), Who = run.Who });
        return await ExecuteAsync(journal, run.Plan, lease, succeeded.Select(s => s.Index).ToHashSet(), run.Who, run.Flags.Reason ?? "", setReattachHint, cancellationToken,
            succeeded.ToDictionary(s => s.Index, s => s.Results), run.Steps).ConfigureAwait(false);
    }

    private async Task<int> ExecuteAsync(RunJournal journal, Plan plan, EnvironmentLease lease, IReadOnlySet<int> done, string who, string reason, Action<string> setReattachHint, CancellationToken cancellationToken,
        IReadOnlyDictionary<int, StepResults>? earlier = null, IReadOnlyDictionary<int, StepRecord>? journaled = null)
    {
        var engine = RunEngineServices.Build(agents, timeProvider);
        RunPrinter.Started(output, journal, plan);
        var tracker = new ReattachTracker(journal.RunId, setReattachHint);
        var outcome = await RunPrinter.FollowAsync(output, journal.RunId, timeProvider,
            observer => engine.ExecuteAsync(inventory, journal, plan, done, who, reason, tracker.Wrap(observer), cancellationToken, earlier, journaled, lease.Check)).ConfigureAwait(false);

        var down = reader is not null && ServicesAfterRun.Touches(plan) && inventory.FindEnvironment(plan.Environment) is { } environment
            ? await ServicesAfterRun.DownAsync(reader, environment, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            : null;
        if (down is not null)
        {
            // Journaled, so 'teafleet report RUN' writes the same report again from the journal alone.
            journal.Write(new JournalEntry { Type = JournalEntry.ServicesRead, Time = timeProvider.GetUtcNow(), Down = down });
        }

        var run = JournalReader.Read(journal.Path);
        // Rollbacks and restores are incidents: they get a report (timeline, data-loss window, checklist), as Markdown and HTML.
        var report = plan.Procedure.WritesReport ? IncidentReport.Write(inventory, run, down) : null;
        RunPrinter.Finished(output, inventory, plan, outcome, run, report, down);
        return outcome.ExitCode;
    }
}
