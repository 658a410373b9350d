namespace TeaFleet.Agent.Options;

/// <summary>
/// The host's public ports in ufw (the runbook's `ufw deny 80; ufw deny 443`): which ports Block and
/// Allow touch, and how ufw is run. Lists default to empty here and are read through
/// <see cref="PublicPorts"/> and <see cref="UfwCommand"/>: the configuration binder adds a file's items
/// to a list's initial items instead of replacing them, so a default of [80, 443] could not be narrowed.
/// </summary>
public sealed class FirewallOptions
{
    public static readonly IReadOnlyList<int> DefaultPorts = [80, 443];

    public static readonly IReadOnlyList<string> DefaultCommand = ["ufw"];

    /// <summary>The public ports (1-65535) Block denies and Allow opens again; empty: 80 and 443.</summary>
    public List<int> Ports { get; set; } = [];

    /// <summary>The ufw program and its leading arguments (a full path, or nsenter ... -- ufw); empty: ["ufw"].</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>The protocol of the rules: "tcp" or "udp".</summary>
    public string Protocol { get; set; } = "tcp";

    public IReadOnlyList<int> PublicPorts => Ports.Count > 0 ? Ports : DefaultPorts;

    public IReadOnlyList<string> UfwCommand => Command.Count > 0 ? Command : DefaultCommand;
}
