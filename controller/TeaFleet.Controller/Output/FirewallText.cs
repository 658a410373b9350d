using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Output;

/// <summary>A host's firewall in one status line: blocked (which ports, since when, how to undo), open, or why it cannot say.</summary>
public static class FirewallText
{
    /// <summary>The line (Spectre markup), or null when the agent could not say.</summary>
    public static string? Line(FirewallStatusResponse? firewall, string environment)
    {
        if (firewall is null)
        {
            return null;
        }

        var blocked = firewall.Ports.Where(p => p.Blocked).ToList();
        if (blocked.Count > 0)
        {
            var since = blocked.Select(p => p.BlockedAt?.ToDateTimeOffset()).Where(t => t is not null).Min();
            return $"[red]BLOCKED[/]: public port{(blocked.Count > 1 ? "s" : "")} {string.Join(", ", blocked.Select(p => $"{p.Port}/{p.Protocol}"))} denied by TeaFleet" +
                   (since is { } t ? $" since {t:u}" : "") + CommandOutput.Esc($" (undo: teafleet allow {environment})") +
                   (firewall.Active ? "" : $" [yellow]but ufw is not active: {CommandOutput.Esc(firewall.Message)}[/]");
        }

        if (!firewall.Available || !firewall.Active)
        {
            return $"[yellow]firewall: {CommandOutput.Esc(firewall.Message.Length > 0 ? firewall.Message : "ufw is not active")}[/]";
        }

        return $"firewall: open (ufw active; public port{(firewall.Ports.Count > 1 ? "s" : "")} {CommandOutput.Esc(string.Join(", ", firewall.Ports.Select(p => $"{p.Port}/{p.Protocol}")))} not blocked)";
    }
}
