using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Runs a plan's steps in order, journaling each before and after (with every agent event in between),
/// and stops at the first failure, unless the next step is a fallback (runs only if the step before it
/// failed: "complete it, else downgrade, else restore"); fallbacks after a success are skipped. Steps
/// listed in <c>done</c> are skipped (resume), and so is every step of a fallback chain one of whose
/// steps is done. Before each step it asks <c>beforeStep</c> whether the run may go on (the
/// environment lease still holds); if not, the run stops there as interrupted, to be resumed.
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
                : null;
            if (skip is { } why)
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
                continue;
            }

            if (!_executors.TryGetValue(step.GetType(), out var executor))
            {
                return Finish(journal, new RunOutcome(StepResult.Failed, step, null, $"this controller cannot run '{step.Operation}' steps", ExitCodes.OperationFailed));
            }

            if (beforeStep?.Invoke() is { } stop)
            {
                observer.Note(stop.Message);
                return Finish(journal, new RunOutcome(StepResult.Interrupted, step, null, stop.Message, stop.ExitCode));
            }

            var operationId = OperationIdFor.Step(journal.RunId, step);
            journal.Write(new JournalEntry
            {
                Type = JournalEntry.StepStarted,
                Time = timeProvider.GetUtcNow(),
                Step = step.Index,
                Host = step.Host,
                Operation = step.Operation,
                OperationId = operationId,
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
            try
            {
                outcome = await executor.ExecuteAsync(
                    new StepContext(inventory, journal.RunId, plan, step, operationId, requestedBy, reason, Report, results),
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
                Result = outcome.Result,
                Message = outcome.Message,
                Data = outcome.Data.Count > 0 ? outcome.Data : null,
            });
            observer.StepFinished(step, outcome, elapsed);
            previousFailed = !outcome.Succeeded;
            if (outcome.Succeeded)
            {
                succeeded.Add(step.Index);
                results[step.Index] = outcome.Results;
            }

            if (!outcome.Succeeded && outcome.Result == StepResult.Failed && i + 1 < ordered.Count && ordered[i + 1].IsFallback)
            {
                observer.Note($"step {step.Index} failed; trying the fallback, step {ordered[i + 1].Index} ({ordered[i + 1].Operation})");
                continue;
            }

            if (!outcome.Succeeded)
            {
                return Finish(journal, new RunOutcome(outcome.Result, step, outcome, outcome.Message,
                    outcome.Result == StepResult.Cancelled ? ExitCodes.OperationFailed : exitCode));
            }
        }

        return Finish(journal, new RunOutcome(StepResult.Succeeded, null, null, null, ExitCodes.Done));
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
