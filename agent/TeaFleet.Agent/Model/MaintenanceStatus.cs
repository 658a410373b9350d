namespace TeaFleet.Agent.Model;

/// <summary>
/// The maintenance page on this host: configured (Message says what to set when not), on (the flag
/// file exists, Flag is what it says), who still passes, the directory and the proxy service.
/// </summary>
public sealed record MaintenanceStatus(
    bool Configured,
    string Message,
    MaintenanceFlag? Flag,
    IReadOnlyList<string> Passes,
    string Directory,
    string ProxyService);
