using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>The agent could not be reached (connection refused, timeout, TLS failure).</summary>
public sealed class AgentUnreachableException(HostConfig host, string reason, Exception? inner = null)
    : FleetException(
        ExitCodes.Unreachable,
        $"agent {host.Name} at {host.Address.GetLeftPart(UriPartial.Authority)} is unreachable: {reason}.",
        "Check that teafleet-agent runs there (deploy/dev/status.sh in the sandbox).",
        inner)
{
    public HostConfig Host { get; } = host;

    public string Reason { get; } = reason;
}
