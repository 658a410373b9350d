using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Output;

/// <summary>A host's maintenance page in one status line: up (since when, why, how to take it down); nothing when off or not configured.</summary>
public static class MaintenanceText
{
    /// <summary>The line (Spectre markup), or null when the page is off, not configured, or the agent could not say.</summary>
    public static string? Line(MaintenanceStatusResponse? maintenance, string environment)
    {
        if (maintenance is not { Configured: true, On: true })
        {
            return null;
        }

        var since = maintenance.Since?.ToDateTimeOffset();
        return "[red]MAINTENANCE[/]: the app's users get the maintenance page" +
               (since is { } t ? $" since {t:u}" : "") +
               CommandOutput.Esc((maintenance.Reason.Length > 0 ? $" ({maintenance.Reason})" : "") + $" (undo: teafleet maintenance {environment} off)") +
               (maintenance.Message.Length > 0 ? $" [yellow]{CommandOutput.Esc(maintenance.Message)}[/]" : "");
    }
}
