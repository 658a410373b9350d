namespace TeaFleet.Agent.Model;

/// <summary>ufw on this host as the operator needs it: runnable, active, the public ports, the rules as ufw lists them.</summary>
public sealed record FirewallStatus(bool Available, bool Active, string Message, IReadOnlyList<FirewallPortStatus> Ports, IReadOnlyList<string> Rules);
