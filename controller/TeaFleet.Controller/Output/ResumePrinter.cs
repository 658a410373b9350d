using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>What <c>resume</c> says before it continues a run (one <c>resume</c> object with --json).</summary>
public static class ResumePrinter
{
    public static void NothingToResume(CommandOutput output, RunRecord run)
    {
        output.Line($"Run {run.RunId} already succeeded; nothing to resume.");
        output.Json(new { type = "resume", run_id = run.RunId, result = run.Result, nothing_to_do = true });
    }

    /// <summary>
    /// The steps to do, then one line per step that already has an attempt: re-attached with the same
    /// operation id, or retried as a new attempt with a new one (and why).
    /// </summary>
    public static void Resuming(CommandOutput output, RunRecord run, IReadOnlyList<StepResumption> pending)
    {
        output.Line($"Resuming run {run.RunId} ({run.Plan.Kind.Word()} of {run.Environment}); steps to do: {string.Join(", ", pending.Select(p => $"{p.Step.Index} {p.Step.Host} {p.Step.Operation}"))}");
        var taken = pending.Where(p => p.Action != ResumeAction.Start).ToList();
        foreach (var p in taken)
        {
            output.Line("  " + CommandOutput.Esc(p.Describe()));
        }

        output.Json(new
        {
            type = "resume",
            run_id = run.RunId,
            steps = pending.Select(p => p.Step.Index),
            attempts = taken.Count == 0 ? null : taken.Select(p => new
            {
                step = p.Step.Index,
                host = p.Step.Host,
                action = p.Action == ResumeAction.Reattach ? "reattach" : "retry",
                attempt = p.Attempt,
                operation_id = p.OperationId,
                previous_result = p.Previous?.Result?.Word(),
                previous_message = p.Previous?.Message,
            }),
        });
    }
}
