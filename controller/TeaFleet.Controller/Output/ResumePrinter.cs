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

    public static void Resuming(CommandOutput output, RunRecord run, IReadOnlyList<PlanStep> pending)
    {
        output.Line($"Resuming run {run.RunId} ({run.Plan.Kind.Word()} of {run.Environment}); steps to do: {string.Join(", ", pending.Select(s => $"{s.Index} {s.Host} {s.Operation}"))}");
        output.Json(new { type = "resume", run_id = run.RunId, steps = pending.Select(s => s.Index) });
    }
}
