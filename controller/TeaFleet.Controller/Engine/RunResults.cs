namespace TeaFleet.Controller.Engine;

/// <summary>The result words used in the journal.</summary>
public static class RunResults
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";

    /// <summary>A fallback step that was not needed: the step before it succeeded.</summary>
    public const string Skipped = "skipped";
}
