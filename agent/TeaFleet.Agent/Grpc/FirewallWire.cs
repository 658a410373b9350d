using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The firewall's status between the agent's own records and the wire (TeaFleet.Agent.V1).</summary>
public static class FirewallWire
{
    public static V1.FirewallStatusResponse ToWire(M.FirewallStatus status)
    {
        var response = new V1.FirewallStatusResponse
        {
            Available = status.Available,
            Active = status.Active,
            Message = status.Message,
            Rules = { status.Rules },
        };
        response.Ports.AddRange(status.Ports.Select(ToWire));
        return response;
    }

    public static V1.FirewallPort ToWire(M.FirewallPortStatus port) => new()
    {
        Port = port.Port,
        Protocol = port.Protocol,
        Blocked = port.Block is not null,
        OperationId = port.Block?.OperationId ?? "",
        BlockedAt = OperationWire.Time(port.Block?.BlockedAt),
        RuleBefore = port.Block?.Before?.Describe() ?? "",
        ActionNow = port.ActionNow,
        KeptOpenFor = port.Block?.KeptOpenFor ?? "",
    };
}
