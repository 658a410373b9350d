namespace TeaFleet.Agent.Adapters;

/// <summary>What `ufw status numbered` said: active or not, the rules, and its lines as printed.</summary>
public sealed record UfwStatus(bool Active, IReadOnlyList<UfwRule> Rules, IReadOnlyList<string> Lines)
{
    /// <summary>The plain rule (PORT/PROTO from anywhere, incoming) of one family; null when ufw has none.</summary>
    public UfwRule? Plain(int port, string protocol, bool v6) => Rules.FirstOrDefault(r => r.V6 == v6 && r.IsPlain(port, protocol));
}
