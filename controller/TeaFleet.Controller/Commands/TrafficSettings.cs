namespace TeaFleet.Controller.Commands;

/// <summary>The options of 'block' and 'allow': which hosts, plan only, confirmation, reason.</summary>
public sealed class TrafficSettings : HostRunSettings;
