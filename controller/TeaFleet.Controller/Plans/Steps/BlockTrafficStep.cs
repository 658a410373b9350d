using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Firewall.Block: the host's public ports denied in ufw (the runbook's <c>ufw deny 80; ufw deny 443</c>),
/// the rule each replaced recorded by the agent so that <see cref="AllowTrafficStep"/> puts it back.
/// </summary>
/// <param name="Ports">The ports; empty: every public port the host's agent is configured with.</param>
public sealed record BlockTrafficStep(IReadOnlyList<int> Ports) : AgentStep
{
    /// <summary>
    /// The ports stay open to the caller's address (the controller), so that the run's own health URLs and
    /// smoke checks reach the app before its users do (the runbook verifies before it restores traffic).
    /// </summary>
    public bool KeepCaller { get; init; }

    protected override string OperationName => OperationKinds.FirewallBlock;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        KeepCaller ? [Arg("ports", PortsText(Ports)), Arg("open to", "the controller's address")] : [Arg("ports", PortsText(Ports))];

    /// <summary>Ports as the plan shows them: the list, or what none means.</summary>
    public static string PortsText(IReadOnlyList<int> ports) => ports.Count == 0 ? "the host's public ports" : string.Join(",", ports);
}
