using System.Globalization;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// How a step is taken up again, decided from the journal alone: its attempt number, its operation id
/// and the attempt before it. The engine may still turn a re-attach into a retry at run time, when the
/// agent answers that the old operation had already ended without success or was interrupted.
/// </summary>
public sealed record StepResumption(PlanStep Step, ResumeAction Action, int Attempt, string? OperationId, StepAttempt? Previous)
{
    public static StepResumption For(string runId, PlanStep step, StepRecord? record)
    {
        var last = record?.LastAttempt;
        if (last is null)
        {
            return new StepResumption(step, ResumeAction.Start, 1, OperationIdFor.Step(runId, step), null);
        }

        if ((!last.HasEnded || last.Unconfirmed) && step.RunsOnAgent)
        {
            return new StepResumption(step, ResumeAction.Reattach, last.Number, last.OperationId ?? OperationIdFor.Step(runId, step, last.Number), last);
        }

        // The last attempt's id is spent: the agent would replay its end. (A controller-side step has no
        // operation to attach to, so one cut short is simply run again.)
        return Retry(runId, step, last);
    }

    /// <summary>The attempt after <paramref name="previous"/>, with its own operation id.</summary>
    public static StepResumption Retry(string runId, PlanStep step, StepAttempt previous) =>
        new(step, ResumeAction.Retry, previous.Number + 1, OperationIdFor.Step(runId, step, previous.Number + 1), previous);

    /// <summary>One line saying what happens to the step: "step 4 on prod-1: retry, attempt 2 (operation ...a2); the first attempt failed: ...".</summary>
    public string Describe()
    {
        var where = $"step {Step.Index} on {Step.Host}";
        var operation = OperationId is null ? "" : $" (operation {OperationId})";
        return Action switch
        {
            ResumeAction.Reattach when Previous!.HasEnded =>
                $"{where}: re-attach to attempt {Attempt}{operation}; the controller lost it ({Previous.Message}), the agent's end is unknown",
            ResumeAction.Reattach => $"{where}: re-attach to attempt {Attempt}{operation}; it started at {Previous!.Started:u} and the journal has no end for it",
            ResumeAction.Retry => $"{where}: retry, attempt {Attempt}{operation}; the {Ordinal(Previous!.Number)} attempt {Ended(Previous)}{(Previous.Message is { Length: > 0 } m ? ": " + m : "")}",
            _ => $"{where}: attempt {Attempt}{operation}",
        };
    }

    private static string Ended(StepAttempt attempt) => attempt.Result switch
    {
        null => "did not end",
        StepResult.Failed => "failed",
        { } result => "was " + result.Word(),
    };

    private static string Ordinal(int n) => n switch
    {
        1 => "first",
        2 => "second",
        3 => "third",
        _ => n.ToString(CultureInfo.InvariantCulture) + "th",
    };
}
