namespace TeaFleet.Agent.Model;

/// <summary>A public port: TeaFleet's block of it (null when none) and ufw's action for PORT/PROTO from anywhere now ("" when no rule).</summary>
public sealed record FirewallPortStatus(int Port, string Protocol, FirewallBlock? Block, string ActionNow);
