namespace TeaFleet.Controller.Engine;

/// <summary>What failed in a run and when the controller detected it: the step (null when the run stopped between steps), its host, time, result and message.</summary>
public sealed record ReportFailure(int? Step, int? Attempt, string Host, string Operation, DateTimeOffset DetectedAt, string ResultWord, string Message)
{
    /// <summary>"step 5 (attempt 2) on prod-2 (services.recreate)" or "the run".</summary>
    public string What => Step is { } s
        ? $"step {s}{(Attempt is { } a ? $" (attempt {a})" : "")} on {Host} ({Operation})"
        : "the run";
}
