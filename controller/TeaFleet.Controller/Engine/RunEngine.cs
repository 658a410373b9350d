using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Runs a plan's steps in order, journaling each before and after (with every agent event in between),
/// and stops at the first failure, unless the next step is a fallback (runs only if the step before it
/// failed: "complete it, else downgrade, else restore"); fallbacks after a success are skipped. Steps
/// listed in <c>done</c> are skipped (resume), and so is every step of a fallback chain one of whose
/// steps is done. When the run stops at a failure, the plan's way-back steps run (each undoes a step that
/// had succeeded, e.g. starts what the run stopped), so no failure leaves the app down without trying;
/// the run stays failed. On resume (<c>journaled</c>: the run's steps as the journal has them) each step goes on
/// from its last attempt: a started one without an end (or ended by the controller without the agent's
/// final event: <c>unconfirmed</c>) is re-attached with the same operation id; one the agent ended failed,
/// cancelled or interrupted gets a new attempt with a new id (<see cref="StepResumption"/>), and so does a
/// re-attached one the agent answers with an old end or "interrupted" — once per step per resume.
/// Before each step it asks <c>beforeStep</c> whether the run may go on (the environment lease still
/// holds); if not, the run stops there as interrupted, to be resumed.
/// </summary>
public sealed class RunEngine(IEnumerable<IStepExecutor> executors, TimeProvider timeProvider)
{
    private readonly Dictionary<Type, IStepExecutor> _executors = executors.ToDictionary(e => e.StepType);

    public async Task<RunOutcome> ExecuteAsync(
        FleetInventory inventory,
        RunJournal journal,
        Plan plan,
        IReadOnlySet<int> done,
        string requestedBy,
        string reason,
        IRunObserver observer,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<int, StepResults>? earlier = null,
        IReadOnlyDictionary<int, StepRecord>? journaled = null,
        Func<FleetException?>? beforeStep = null)
    {
        var ordered = plan.Steps.OrderBy(s => s.Index).ToList();
        var results = new Dictionary<int, StepResults>(earlier ?? new Dictionary<int, StepResults>());
        var chainDone = ChainsDone(ordered, done);
        var previousFailed = false;
        var succeeded = new HashSet<int>(done);
        for (var i = 0; i < ordered.Count; i++)
        {
            var step = ordered[i];
            if (done.Contains(step.Index) || chainDone.Contains(step.Index))
            {
                previousFailed = false;
                continue;
            }

            var skip = step.IsFallback && !previousFailed ? $"not needed: step {ordered[i - 1].Index} succeeded"
                : step.RunsIfSucceeded is { } needed && !succeeded.Contains(needed) ? $"not run: it follows step {needed}, which did not succeed"
                : step.Undoes is not null ? "not needed: the run did not fail (this step is its way back)"
                : step.Requires is { } required && !succeeded.Contains(required) ? $"not run: it requires step {required}, which did not succeed"
                : null;
            if (skip is { } why)
            {
                Skip(journal, observer, step, why);
                continue;
            }

            if (!_executors.ContainsKey(step.GetType()))
            {
                return Finish(journal, new RunOutcome(StepResult.Failed, step, null, $"this controller cannot run '{step.Operation}' steps", ExitCodes.OperationFailed));
            }

            if (beforeStep?.Invoke() is { } stop)
            {
                observer.Note(stop.Message);
                return Finish(journal, new RunOutcome(StepResult.Interrupted, step, null, stop.Message, stop.ExitCode));
            }

            var resumption = StepResumption.For(journal.RunId, step, journaled?.GetValueOrDefault(step.Index));
            var (outcome, exitCode) = await AttemptAsync(inventory, journal, plan, step, resumption, requestedBy, reason, observer, results, cancellationToken).ConfigureAwait(false);
            if (resumption.Action == ResumeAction.Reattach && outcome.CallsForNewAttempt)
            {
                // The operation we re-attached to had ended before we asked (its failure replayed), or the
                // agent died under it: that attempt is over. One new attempt, with its own id.
                var retry = StepResumption.Retry(journal.RunId, step, resumption.Previous! with { Finished = timeProvider.GetUtcNow(), Result = outcome.Result, Message = outcome.Message, Unconfirmed = false });
                observer.Note(retry.Describe());
                (outcome, exitCode) = await AttemptAsync(inventory, journal, plan, step, retry, requestedBy, reason, observer, results, cancellationToken).ConfigureAwait(false);
            }

            previousFailed = !outcome.Succeeded;
            if (outcome.Succeeded)
            {
                succeeded.Add(step.Index);
                results[step.Index] = outcome.Results;
            }

            if ((outcome.Result is StepResult.Failed or StepResult.Interrupted) && i + 1 < ordered.Count && ordered[i + 1].IsFallback)
            {
                observer.Note($"step {step.Index} failed; trying the fallback, step {ordered[i + 1].Index} ({ordered[i + 1].Operation})");
                continue;
            }

            if (!outcome.Succeeded)
            {
                await WayBackAsync(inventory, journal, plan, ordered, succeeded, step, outcome, requestedBy, reason, observer, results, journaled, cancellationToken).ConfigureAwait(false);
                return Finish(journal, new RunOutcome(outcome.Result, step, outcome, outcome.Message,
                    outcome.Result == StepResult.Cancelled ? ExitCodes.OperationFailed : exitCode));
            }
        }

        return Finish(journal, new RunOutcome(StepResult.Succeeded, null, null, null, ExitCodes.Done));
    }

    /// <summary>
    /// After a failed step: the plan's way-back steps that come after it in the plan (e.g. start what the
    /// run stopped), each only if the step it undoes had succeeded — or, for <c>undoes-tried:N</c>, is the
    /// step that failed, unless its result says it changed nothing (<c>changed=false</c>: a failed step may
    /// have done part of its work, e.g. a downgrade that moved the database or a switch that moved the
    /// checkout and containers). Every one is
    /// tried even when another fails. The run stays failed. A step placed after the way-back steps (a
    /// post-rollback backup) is past the point of no return: its failure takes no way back. A way-back step
    /// with <see cref="PlanStep.Requires"/> runs only if that step (forward or an earlier way back) succeeded.
    /// </summary>
    private async Task WayBackAsync(
        FleetInventory inventory,
        RunJournal journal,
        Plan plan,
        IReadOnlyList<PlanStep> ordered,
        IReadOnlySet<int> succeeded,
        PlanStep failed,
        StepOutcome failedOutcome,
        string requestedBy,
        string reason,
        IRunObserver observer,
        Dictionary<int, StepResults> results,
        IReadOnlyDictionary<int, StepRecord>? journaled,
        CancellationToken cancellationToken)
    {
        var failedChanged = failedOutcome.Data.GetValueOrDefault(OperationResultKeys.Changed) != "false";
        var wayBack = ordered.Where(s => s.Index > failed.Index && s.Undoes is { } undone
            && (succeeded.Contains(undone) || (s.RunsIf.UndoesFailedStep && undone == failed.Index && failedChanged))
            && _executors.ContainsKey(s.GetType())).ToList();
        if (wayBack.Count == 0)
        {
            return;
        }

        observer.Note($"step {failed.Index} failed; taking the plan's way back: step{(wayBack.Count > 1 ? "s" : "")} {string.Join(", ", wayBack.Select(s => s.Index))}");
        var wayBackSucceeded = new HashSet<int>(succeeded);
        foreach (var step in wayBack)
        {
            if (step.Requires is { } required && !wayBackSucceeded.Contains(required))
            {
                // A guarded way back (switch the code back only once the database was found unchanged).
                Skip(journal, observer, step, $"not run: it requires step {required}, which did not succeed");
                continue;
            }

            // A way-back step that ran in an earlier try of this run gets a new attempt (its old id is spent).
            var attempt = StepResumption.For(journal.RunId, step, journaled?.GetValueOrDefault(step.Index));
            if (attempt.Action == ResumeAction.Reattach && attempt.Previous is { } previous)
            {
                attempt = StepResumption.Retry(journal.RunId, step, previous);
            }

            var (outcome, _) = await AttemptAsync(inventory, journal, plan, step, attempt, requestedBy, reason, observer, results, cancellationToken).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                results[step.Index] = outcome.Results;
                wayBackSucceeded.Add(step.Index);
            }
        }
    }

    /// <summary>A step that does not run: journaled as skipped, with why.</summary>
    private void Skip(RunJournal journal, IRunObserver observer, PlanStep step, string why)
    {
        journal.Write(new JournalEntry
        {
            Type = JournalEntry.StepFinished,
            Time = timeProvider.GetUtcNow(),
            Step = step.Index,
            Host = step.Host,
            Operation = step.Operation,
            Result = StepResult.Skipped,
            Message = why,
        });
        observer.StepFinished(step, new StepOutcome(StepResult.Skipped, why, new Dictionary<string, string>(), []), TimeSpan.Zero);
    }

    /// <summary>One attempt of a step: journaled before and after (with every event in between), its outcome and exit code.</summary>
    private async Task<(StepOutcome Outcome, int ExitCode)> AttemptAsync(
        FleetInventory inventory,
        RunJournal journal,
        Plan plan,
        PlanStep step,
        StepResumption attempt,
        string requestedBy,
        string reason,
        IRunObserver observer,
        IReadOnlyDictionary<int, StepResults> results,
        CancellationToken cancellationToken)
    {
        var executor = _executors[step.GetType()];
        var operationId = attempt.OperationId;
        var number = attempt.Attempt > 1 ? attempt.Attempt : (int?)null;
        journal.Write(new JournalEntry
        {
            Type = JournalEntry.StepStarted,
            Time = timeProvider.GetUtcNow(),
            Step = step.Index,
            Host = step.Host,
            Operation = step.Operation,
            OperationId = operationId,
            Attempt = number,
        });
        observer.StepStarted(step, operationId);
        var started = timeProvider.GetTimestamp();

        void Report(StepProgress progress)
        {
            journal.Write(new JournalEntry
            {
                Type = JournalEntry.Event,
                Time = progress.Time,
                Step = step.Index,
                Host = step.Host,
                Sequence = progress.Sequence > 0 ? progress.Sequence : null,
                StepName = progress.StepName.Length > 0 ? progress.StepName : null,
                Phase = progress.Phase,
                Percent = progress.Percent >= 0 ? progress.Percent : null,
                Message = progress.Message,
            });
            observer.StepProgress(step, progress);
        }

        StepOutcome outcome;
        int exitCode;
        var unconfirmed = false;
        try
        {
            outcome = await executor.ExecuteAsync(
                new StepContext(inventory, journal.RunId, plan, step, operationId, requestedBy, reason, Report, results,
                    attempt.Attempt, attempt.Action == ResumeAction.Reattach),
                cancellationToken).ConfigureAwait(false);
            exitCode = outcome.Succeeded ? ExitCodes.Done : ExitCodes.OperationFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            journal.Write(new JournalEntry
            {
                Type = JournalEntry.RunFinished,
                Time = timeProvider.GetUtcNow(),
                Result = StepResult.Cancelled,
                Error = operationId is null
                    ? $"cancelled by the operator during step {step.Index}"
                    : $"the operator stopped following step {step.Index}; operation {operationId} keeps running on {step.Host}",
            });
            throw;
        }
        catch (FleetException e)
        {
            outcome = StepOutcome.Failure(e.Message);
            exitCode = e.ExitCode;
            unconfirmed = operationId is not null;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        journal.Write(new JournalEntry
        {
            Type = JournalEntry.StepFinished,
            Time = timeProvider.GetUtcNow(),
            Step = step.Index,
            Host = step.Host,
            Operation = step.Operation,
            OperationId = operationId,
            Attempt = number,
            Result = outcome.Result,
            Message = outcome.Message,
            Data = outcome.Data.Count > 0 ? outcome.Data : null,
            Unconfirmed = unconfirmed ? true : null,
        });
        observer.StepFinished(step, outcome, elapsed);
        return (outcome, exitCode);
    }

    /// <summary>Steps of fallback chains (a step and the fallbacks right after it) that have a done member.</summary>
    private static HashSet<int> ChainsDone(IReadOnlyList<PlanStep> ordered, IReadOnlySet<int> done)
    {
        var result = new HashSet<int>();
        var chain = new List<int>();
        void Close()
        {
            if (chain.Any(done.Contains))
            {
                result.UnionWith(chain);
            }

            chain.Clear();
        }

        foreach (var step in ordered)
        {
            if (!step.IsFallback)
            {
                Close();
            }

            chain.Add(step.Index);
        }

        Close();
        return result;
    }

    private RunOutcome Finish(RunJournal journal, RunOutcome outcome)
    {
        journal.Write(new JournalEntry
        {
            Type = JournalEntry.RunFinished,
            Time = timeProvider.GetUtcNow(),
            Result = outcome.Result,
            Error = outcome.Error,
        });
        return outcome;
    }
}
