using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>The host's lock is held by another operation (StatusCode.Aborted); the agent's message names the holder and since when.</summary>
public sealed class HostBusyException(HostConfig host, string agentMessage)
    : FleetException(
        ExitCodes.HostBusy,
        $"host {host.Name} is busy: {agentMessage}",
        "Wait for that operation to finish (follow it with 'teafleet watch HOST OPERATION_ID'), then run again.")
{
    public HostConfig Host { get; } = host;

    /// <summary>What the agent said, as it said it.</summary>
    public string AgentMessage { get; } = agentMessage;
}
