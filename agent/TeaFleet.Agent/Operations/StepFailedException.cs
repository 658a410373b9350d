namespace TeaFleet.Agent.Operations;

/// <summary>A step of an operation failed; the step already reported why.</summary>
public sealed class StepFailedException(string step, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Step { get; } = step;

    /// <summary>Results the failed final event carries beside "failed_step" (e.g. whether the database changed).</summary>
    public IReadOnlyDictionary<string, string>? Results { get; init; }
}
