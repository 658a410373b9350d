using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// The runbook's "block traffic" (Type 2 option B, Type 3 step 2, scenario 5 step 1): the public ports of
/// every host of the environment (or the named ones) denied in ufw, one host after the other. Every other
/// rule stays; the agents remember what each deny replaced, so 'teafleet allow' undoes exactly this.
/// </summary>
public sealed class BlockTrafficProcedure : Procedure
{
    public override PlanKind Kind => PlanKind.Block;

    public override bool WritesReport => true;

    public override string What(Plan plan) => $"block the public ports of {HostsText(plan)}";

    public override string DataLoss(Plan plan) => "- Data loss: none (the firewall changes no data)";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"the hosts before {host} are blocked, the rest are not. Read the step's message (ufw inactive? 'teafleet {inventoryOption} status {plan.Environment}' shows each host's firewall), fix it and continue with 'teafleet {inventoryOption} resume {runId}', or undo with 'teafleet {inventoryOption} allow {plan.Environment}'.";

    public override string Confirmation(EnvironmentConfig environment, Plan plan) =>
        $"Block the public ports of {HostsText(plan)} in {environment.Name}: the app stops answering its users. Go ahead?";

    public static Plan Build(EnvironmentConfig environment, IReadOnlyList<HostConfig> hosts)
    {
        var steps = new StepList(environment);
        foreach (var host in hosts)
        {
            steps.Add(new BlockTrafficStep([])
            {
                Index = 0,
                Host = host.Name,
                Verification = "agent: ufw active; each public port denied (`ufw deny PORT/tcp`), the rule it replaced recorded in the agent's state; every other rule unchanged",
                OnFailure = $"stop; the hosts before {host.Name} are blocked. Undo with 'teafleet allow {environment.Name}'",
            });
        }

        return new Plan(PlanKind.Block, RollbackType.None, environment.Name, "", [], [], new Dictionary<string, string>(), steps.Steps,
            $"block the public ports of {string.Join(", ", hosts.Select(h => h.Name))} (ufw deny; every other rule kept; 'teafleet allow {environment.Name}' undoes it)");
    }

    internal static string HostsText(Plan plan) => string.Join(", ", plan.Steps.Select(s => s.Host).Where(h => h != PlanStep.ControllerHost).Distinct(StringComparer.Ordinal));
}
