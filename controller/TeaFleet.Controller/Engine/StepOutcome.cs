namespace TeaFleet.Controller.Engine;

/// <summary>How a step ended.</summary>
public sealed record StepOutcome(string Result, string Message, IReadOnlyDictionary<string, string> Data, IReadOnlyList<string> LogLines)
{
    public bool Succeeded => Result == RunResults.Succeeded;

    public static StepOutcome Success(string message, IReadOnlyDictionary<string, string>? data = null) =>
        new(RunResults.Succeeded, message, data ?? new Dictionary<string, string>(), []);

    public static StepOutcome Failure(string message, IReadOnlyList<string>? logLines = null, IReadOnlyDictionary<string, string>? data = null) =>
        new(RunResults.Failed, message, data ?? new Dictionary<string, string>(), logLines ?? []);
}
