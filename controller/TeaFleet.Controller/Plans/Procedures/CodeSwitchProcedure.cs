using TeaFleet.Controller.Inventory;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>The procedures that switch code (deploy, rollbacks): their what, report type and confirmation speak of the target and services.</summary>
public abstract class CodeSwitchProcedure : Procedure
{
    public override bool SwitchesCode => true;

    /// <summary>The plan printout's title ("Type 2 rollback (code + database)", "Deploy").</summary>
    public abstract string Title { get; }

    public override string What(Plan plan) => $"{Kind.Word()} to {GitRefs.Short(plan.TargetCommit)} (services: {plan.ServicesText})";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"{Kind.Word()} {environment.Name} ({environment.Hosts.Count} host(s)) to {GitRefs.Short(plan.TargetCommit)}, services {plan.ServicesText}. Go ahead?";
}
