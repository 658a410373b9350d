namespace TeaFleet.Controller.Plans;

/// <summary>The kinds of <see cref="StepCondition"/>.</summary>
public enum StepConditionKind
{
    Always = 0,
    PreviousFailed = 1,
    Succeeded = 2,

    /// <summary>A way back: runs only after the run failed, and only if the step it undoes had succeeded.</summary>
    Undoes = 3,

    /// <summary>
    /// A way back that also runs when the step it undoes is the one that failed, unless that step's result
    /// says it changed nothing (<c>changed=false</c>): a failed downgrade may have moved the database, a
    /// failed switch may have moved the checkout and containers.
    /// </summary>
    UndoesTried = 4,
}
