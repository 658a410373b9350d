namespace TeaFleet.Controller.Engine;

/// <summary>
/// One row of a report's timeline: an attempt of a step (a step retried has one per attempt), a step that
/// was skipped (it never started), or a step of the plan that never ran (<see cref="Ran"/> false, no times).
/// </summary>
/// <param name="Step">The step's number in the plan.</param>
/// <param name="Attempt">The attempt's number when the step had several, else null.</param>
/// <param name="Host">The step's host, or "controller" for a step the controller does itself.</param>
/// <param name="Operation">The operation (services.recreate, ...).</param>
/// <param name="OperationId">The operation id the agent was given, if any.</param>
/// <param name="Started">When it started (null: never ran).</param>
/// <param name="Finished">When it ended (null: no end in the journal).</param>
/// <param name="Result">How it ended (null: no end in the journal).</param>
/// <param name="Message">Its last message.</param>
/// <param name="Ran">Whether it started or was skipped at all.</param>
/// <param name="WayBack">Whether the step undoes another one (the run's way back).</param>
public sealed record ReportAttempt(
    int Step,
    int? Attempt,
    string Host,
    string Operation,
    string? OperationId,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    StepResult? Result,
    string? Message,
    bool Ran,
    bool WayBack)
{
    /// <summary>"3" or "3 (attempt 2)".</summary>
    public string Label => Attempt is { } n ? $"{Step} (attempt {n})" : $"{Step}";

    /// <summary>The result as the report words it: succeeded, failed, ..., "unfinished" for an attempt without an end, "not run".</summary>
    public string ResultWord => Ran ? Result.Word() : "not run";

    /// <summary>Whether the attempt ended badly (failed, cancelled, interrupted).</summary>
    public bool WentWrong => Result is StepResult.Failed or StepResult.Cancelled or StepResult.Interrupted;
}
