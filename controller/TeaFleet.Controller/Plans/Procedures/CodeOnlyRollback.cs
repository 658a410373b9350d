namespace TeaFleet.Controller.Plans;

/// <summary>
/// Type 1 (runbook): code only. Per host, in inventory order: recreate on the target, then the host's
/// health URLs; last, every health URL and the inventory's smoke checks (login included). A full backup
/// first when the target's start-up migrates.
/// </summary>
public sealed class CodeOnlyRollback : RollbackProcedure
{
    public override RollbackType Type => RollbackType.CodeOnly;

    public override string Title => "Type 1 rollback (code only)";

    protected override string TypeWords => "code only";

    public static Plan Build(FleetFacts facts, RollbackTarget target, TypeChoice choice)
    {
        var steps = DeployProcedure.SwitchSteps(facts.Environment, PlanKind.Rollback, target.Commit, target.Services, choice.Status, facts.ChangesFor(target.Commit))
            .SmokeTest("stop and report with the failing check's answer: the old code answers but does not work (data written by the newer release that it cannot read, e.g. rewritten password hashes?); roll forward, or plan a Type 3")
            .Monitor($"report loudly: the old code did not hold. Read the evidence ('teafleet diagnose {facts.Environment.Name}'); the runbook's next move is a Type 2 (the schema) or a Type 3 (the data) rollback", facts.ChangesFor(target.Commit));
        return new Plan(PlanKind.Rollback, RollbackType.CodeOnly, facts.Environment.Name, target.Commit, target.Tags, target.Services, target.Current, steps.Steps, TypeReason: choice.Reason);
    }
}
