using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>One line of a run journal (<c>runs/RUN_ID.jsonl</c>). Which fields are set depends on <see cref="Type"/>.</summary>
public sealed record JournalEntry
{
    public const string RunStarted = "run_started";
    public const string StepStarted = "step_started";
    public const string Event = "event";
    public const string StepFinished = "step_finished";
    public const string RunFinished = "run_finished";
    public const string RunResumed = "run_resumed";
    public const string Note = "note";

    /// <summary>A checklist item confirmed by a person after the run ('teafleet confirm'): <see cref="Item"/>, <see cref="Who"/>, the note in <see cref="Message"/>.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>What the hosts had down once the run ended (written after run_finished when the controller read them), for the report.</summary>
    public const string ServicesRead = "services_read";

    public required string Type { get; init; }

    public required DateTimeOffset Time { get; init; }

    public string? RunId { get; init; }

    // run_started
    public Plan? Plan { get; init; }

    public string? Who { get; init; }

    public RunFlags? Flags { get; init; }

    // step_*
    public int? Step { get; init; }

    public string? Host { get; init; }

    public string? Operation { get; init; }

    public string? OperationId { get; init; }

    /// <summary>Which attempt of the step (step_started, step_finished): written from 2 on; absent means 1, as in journals written before attempts.</summary>
    public int? Attempt { get; init; }

    // event
    public long? Sequence { get; init; }

    public string? StepName { get; init; }

    public StepPhase? Phase { get; init; }

    public double? Percent { get; init; }

    public bool? Final { get; init; }

    public string? Message { get; init; }

    public IReadOnlyDictionary<string, string>? Data { get; init; }

    // step_finished, run_finished
    public StepResult? Result { get; init; }

    /// <summary>
    /// step_finished of an agent step that the controller ended without the operation's final event (the agent
    /// unreachable, the stream lost, the call refused): the agent's own end is unknown, so resume re-attaches
    /// with the same operation id instead of retrying. Absent means the agent's final event ended it.
    /// </summary>
    public bool? Unconfirmed { get; init; }

    public string? Error { get; init; }

    // confirmed: the item's key (RunbookChecklist.Confirmable).
    public string? Item { get; init; }

    // services_read: "HOST: SERVICE (STATE)" for each service down after the run; empty: nothing down.
    public IReadOnlyList<string>? Down { get; init; }
}
