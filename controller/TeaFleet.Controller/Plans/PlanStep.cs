namespace TeaFleet.Controller.Plans;

/// <summary>
/// One step of a plan: where it runs, what it does (an operation name an <c>IStepExecutor</c> knows),
/// its arguments, how its success is verified, whether it destroys anything, and what to do when it fails.
/// </summary>
public sealed record PlanStep(
    int Index,
    string Host,
    string Operation,
    IReadOnlyDictionary<string, string> Arguments,
    string Verification,
    bool Destructive,
    string OnFailure,
    string RunsIf = "")
{
    /// <summary>RunsIf value of a fallback: the step runs only when the step before it failed, and is skipped when it succeeded.</summary>
    public const string PreviousFailed = "previous-failed";

    /// <summary>RunsIf prefix of a step that runs only when step N succeeded in this run ("succeeded:N"), else is skipped.</summary>
    public const string SucceededPrefix = "succeeded:";

    public bool IsFallback => RunsIf == PreviousFailed;

    /// <summary>The step this one depends on (RunsIf "succeeded:N"), or null.</summary>
    public int? RunsIfSucceeded => RunsIf.StartsWith(SucceededPrefix, StringComparison.Ordinal) && int.TryParse(RunsIf.AsSpan(SucceededPrefix.Length), out var n) ? n : null;

    /// <summary>Steps the controller does itself (no agent, no operation id), e.g. the environment-wide health check.</summary>
    public const string ControllerHost = "controller";

    public bool RunsOnAgent => Host != ControllerHost && PlanOperations.IsAgentOperation(Operation);

    public string Describe() => $"{Operation} {string.Join(" ", Arguments.Select(a => $"{a.Key}={a.Value}"))}".TrimEnd();
}
