namespace TeaFleet.Controller.Plans;

/// <summary>The kinds of <see cref="StepCondition"/>.</summary>
public enum StepConditionKind
{
    Always = 0,
    PreviousFailed = 1,
    Succeeded = 2,
}
