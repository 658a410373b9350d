using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// <c>teafleet maintenance ENV off</c>: the maintenance page down, one host at a time, each host watched
/// (the inventory's 'monitor: host_window', else its health URLs) before the next host's page comes down (the runbook's gradual restoration of traffic). A
/// host whose page is not up has nothing to undo.
/// </summary>
public sealed class MaintenanceOffProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.MaintenanceOff;

    public override bool WritesReport => true;

    public override string What(Plan plan) => $"take the maintenance page down on {BlockTrafficProcedure.HostsText(plan)}, one host at a time";

    public override string DataLoss(Plan plan) => "- Data loss: none (the maintenance page changes no data)";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"the hosts before {host} serve their users again, {host} and the hosts after it still show the page. Read why (health? 'teafleet {inventoryOption} logs {plan.Environment} SERVICE --host {host}'), fix it and continue with 'teafleet {inventoryOption} resume {runId}'; or put the page up again with 'teafleet {inventoryOption} maintenance {plan.Environment} on'.";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"Take the maintenance page down on {BlockTrafficProcedure.HostsText(plan)} in {environment.Name}, one host at a time. Go ahead?";

    public static Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts)
    {
        var steps = new StepList(environment);
        steps.GradualMaintenanceOff(hosts);
        return new Plan(PlanKind.MaintenanceOff, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps.Steps,
            $"take the maintenance page down on {string.Join(", ", hosts.Select(h => h.Name))}, one host at a time, each host watched before the next");
    }
}
