namespace TeaFleet.Controller.Plans;

/// <summary>How a host whose checkout and running containers disagree is described, by <c>status</c> and by plans.</summary>
public static class CheckoutText
{
    /// <summary>
    /// "its checkout is at C but its services run R (a switch that did not finish: ...)", or null when the
    /// checkout is at a commit some service runs (a host mixed by a switch of named services is "mixed",
    /// said elsewhere, not this) or one of them is not known.
    /// </summary>
    public static string? Disagrees(string checkout, IReadOnlyList<string> running) =>
        checkout.Length == 0 || running.Count == 0 || running.Contains(checkout, StringComparer.Ordinal)
            ? null
            : $"its checkout is at {PlanText.Short(checkout)} but its services run {RunningCommits.Text(running)} (a switch that did not finish: the agent stopped mid-switch, or a switch failed after its checkout); Alembic reads the checkout's scripts as the live release's";
}
