namespace TeaFleet.Controller.Agents;

/// <summary>Another run holds the environment's lease (or a host refused it): exit 5, like a busy host, naming the holder.</summary>
public sealed class EnvironmentHeldException(string message, string hint)
    : FleetException(ExitCodes.HostBusy, message, hint);
