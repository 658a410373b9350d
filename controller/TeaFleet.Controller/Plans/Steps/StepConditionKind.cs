namespace TeaFleet.Controller.Plans;

/// <summary>The kinds of <see cref="StepCondition"/>.</summary>
public enum StepConditionKind
{
    Always = 0,
    PreviousFailed = 1,
    Succeeded = 2,

    /// <summary>A way back: runs only after the run failed, and only if the step it undoes had succeeded.</summary>
    Undoes = 3,
}
