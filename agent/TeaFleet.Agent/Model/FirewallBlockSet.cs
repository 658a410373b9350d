namespace TeaFleet.Agent.Model;

/// <summary>Every port TeaFleet has blocked and not yet allowed again: the content of state/firewall.json.</summary>
public sealed record FirewallBlockSet
{
    public IReadOnlyList<FirewallBlock> Blocks { get; init; } = [];
}
