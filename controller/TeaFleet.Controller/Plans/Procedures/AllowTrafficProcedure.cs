using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// The runbook's "restore traffic (gradually)" (Type 2 step 7, Type 3 step 11, scenario 5 step 7): one host
/// at a time, undo TeaFleet's block of its public ports, then check that host's health URLs before the
/// next host lets its users in. A port TeaFleet did not block is left as it is.
/// </summary>
public sealed class AllowTrafficProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Allow;

    public override bool WritesReport => true;

    public override string What(Plan plan) => $"let traffic back into {BlockTrafficProcedure.HostsText(plan)}, one host at a time";

    public override string DataLoss(Plan plan) => "- Data loss: none (the firewall changes no data)";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"the hosts before {host} take traffic again, {host} and the hosts after it are still blocked. Read why (health? 'teafleet {inventoryOption} logs {plan.Environment} SERVICE --host {host}'), fix it and continue with 'teafleet {inventoryOption} resume {runId}'; or block the hosts again with 'teafleet {inventoryOption} block {plan.Environment}'.";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"Let traffic back into {BlockTrafficProcedure.HostsText(plan)} in {environment.Name}, one host at a time. Go ahead?";

    public static Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts)
    {
        var steps = new StepList(environment);
        steps.GradualAllow(hosts);
        return new Plan(PlanKind.Allow, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps.Steps,
            $"let traffic back into {string.Join(", ", hosts.Select(h => h.Name))}, one host at a time, each host's health URLs checked before the next");
    }
}
