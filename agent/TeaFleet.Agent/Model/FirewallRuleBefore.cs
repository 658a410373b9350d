namespace TeaFleet.Agent.Model;

/// <summary>
/// The ufw rule for PORT/PROTO from anywhere (incoming) that a block replaced: its action as ufw lists
/// it for IPv4 and IPv6 ("ALLOW IN"; empty where that family had none) and the ufw arguments that put
/// it back as it was (its log and comment included), read from `ufw show added`.
/// </summary>
public sealed record FirewallRuleBefore
{
    public string Action { get; init; } = "";

    public string V6Action { get; init; } = "";

    /// <summary>ufw's arguments for the rule, e.g. ["allow", "443/tcp"] or ["allow", "log", "80/tcp", "comment", "web"].</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>How an operator reads it: "ALLOW IN Anywhere", with the IPv6 rule when it differs.</summary>
    public string Describe() => (Action.Length > 0, V6Action.Length > 0 && V6Action != Action) switch
    {
        (true, false) => $"{Action} Anywhere",
        (true, true) => $"{Action} Anywhere, {V6Action} Anywhere (v6)",
        (false, true) => $"no IPv4 rule, {V6Action} Anywhere (v6)",
        _ => "no rule",
    };

    public bool WasDeny => Action.StartsWith("DENY", StringComparison.Ordinal);
}
