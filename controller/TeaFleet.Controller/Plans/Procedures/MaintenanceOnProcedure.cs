using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// <c>teafleet maintenance ENV on</c>: the app's maintenance page up on every host of the environment (or
/// the named ones), one host after the other. The agents write the flag file the app's nginx checks per
/// request (Agent:Maintenance); nothing is stopped, nothing reloaded. The controller gets no pass here:
/// it sees the page like any user. 'teafleet maintenance ENV off' takes it down.
/// </summary>
public sealed class MaintenanceOnProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.MaintenanceOn;

    public override bool WritesReport => true;

    public override string What(Plan plan) => $"put the maintenance page up on {BlockTrafficProcedure.HostsText(plan)}";

    public override string DataLoss(Plan plan) => "- Data loss: none (the maintenance page changes no data)";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"the hosts before {host} show the maintenance page, the rest do not. Read the step's message (Agent:Maintenance not configured? 'teafleet {inventoryOption} status {plan.Environment}'), fix it and continue with 'teafleet {inventoryOption} resume {runId}', or take the page down with 'teafleet {inventoryOption} maintenance {plan.Environment} off'.";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"Put the maintenance page up on {BlockTrafficProcedure.HostsText(plan)} in {environment.Name}: its users get the page (503) instead of the app. Go ahead?";

    public static Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts, string reason)
    {
        var steps = new StepList(environment);
        foreach (var host in hosts)
        {
            steps.Add(new EnableMaintenanceStep(reason)
            {
                Index = 0,
                Host = host.Name,
                Verification = "agent: the page and the loopback passes written, then the maintenance flag: the app's nginx answers its users 503 with the page from the next request on",
                OnFailure = $"stop; the hosts before {host.Name} show the page. Take it down with 'teafleet maintenance {environment.Name} off'",
            });
        }

        return new Plan(PlanKind.MaintenanceOn, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps.Steps,
            $"put the maintenance page up on {string.Join(", ", hosts.Select(h => h.Name))} (the app's nginx answers 503 with the page; nothing stopped; 'teafleet maintenance {environment.Name} off' takes it down)");
    }
}
