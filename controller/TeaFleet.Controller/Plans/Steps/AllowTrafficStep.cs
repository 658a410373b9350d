using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Firewall.Allow: undoes what a block did on the host (the rule before put back, or TeaFleet's deny
/// deleted); a port TeaFleet did not block is left as it is.
/// </summary>
/// <param name="Ports">The ports; empty: every public port the host's agent is configured with.</param>
public sealed record AllowTrafficStep(IReadOnlyList<int> Ports) : AgentStep
{
    protected override string OperationName => OperationKinds.FirewallAllow;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("ports", BlockTrafficStep.PortsText(Ports))];
}
