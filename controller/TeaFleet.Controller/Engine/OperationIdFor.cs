using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// The operation id of a step's attempt: <c>RUN_ID.STEP.HOST</c> for the first attempt (stable, so a resumed
/// run re-attaches to it instead of re-running it), <c>RUN_ID.STEP.HOST.aN</c> for attempt N &gt;= 2 (a retry
/// after a failed, cancelled or interrupted attempt: a new id, because the agent replays an id's old end).
/// </summary>
public static class OperationIdFor
{
    public static string? Step(string runId, PlanStep step, int attempt = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (!step.RunsOnAgent)
        {
            return null;
        }

        var id = attempt == 1 ? $"{runId}.{step.Index}.{step.Host}" : $"{runId}.{step.Index}.{step.Host}.a{attempt}";
        return OperationIds.IsValid(id) ? id : throw new InvalidOperationException($"operation id '{id}' breaks the rule: {OperationIds.Describe}");
    }
}
