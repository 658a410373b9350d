using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>The operation id of a step: <c>RUN_ID.STEP.HOST</c>, stable so a resumed run re-attaches instead of re-running.</summary>
public static class OperationIdFor
{
    public static string? Step(string runId, PlanStep step)
    {
        if (!step.RunsOnAgent)
        {
            return null;
        }

        var id = $"{runId}.{step.Index}.{step.Host}";
        return OperationIds.IsValid(id) ? id : throw new InvalidOperationException($"operation id '{id}' breaks the rule: {OperationIds.Describe}");
    }
}
