namespace TeaFleet.Controller.Engine;

/// <summary>The words of <see cref="StepResult"/>, as the journal, --json and the screen show them.</summary>
public static class RunResults
{
    /// <summary>What a run or step without a recorded end shows.</summary>
    public const string Unfinished = "unfinished";

    public static string Word(this StepResult result) => result switch
    {
        StepResult.Succeeded => "succeeded",
        StepResult.Failed => "failed",
        StepResult.Cancelled => "cancelled",
        StepResult.Interrupted => "interrupted",
        StepResult.Skipped => "skipped",
        _ => result.ToString().ToLowerInvariant(),
    };

    public static string Word(this StepResult? result) => result is { } value ? value.Word() : Unfinished;
}
