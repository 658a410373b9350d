using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>Run progress as JSON lines (--json).</summary>
public sealed class JsonRunObserver(CommandOutput output, string runId) : IRunObserver
{
    public void StepStarted(PlanStep step, string? operationId) =>
        output.Json(new { type = "step_started", run_id = runId, step = step.Index, host = step.Host, operation = step.Operation, operation_id = operationId });

    public void StepProgress(PlanStep step, StepProgress progress) =>
        output.Json(new
        {
            type = "event",
            run_id = runId,
            step = step.Index,
            host = step.Host,
            sequence = progress.Sequence > 0 ? progress.Sequence : (long?)null,
            phase = progress.Phase,
            step_name = progress.StepName.Length > 0 ? progress.StepName : null,
            percent = progress.Percent >= 0 ? progress.Percent : (double?)null,
            message = progress.Message,
            time = progress.Time,
        });

    public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed) =>
        output.Json(new
        {
            type = "step_finished",
            run_id = runId,
            step = step.Index,
            host = step.Host,
            operation = step.Operation,
            result = outcome.Result,
            message = outcome.Message,
            elapsed_ms = (long)elapsed.TotalMilliseconds,
            data = outcome.Data.Count > 0 ? outcome.Data : null,
            log_lines = outcome.LogLines.Count > 0 ? outcome.LogLines : null,
        });

    public void Note(string message) => output.Json(new { type = "note", run_id = runId, message });
}
