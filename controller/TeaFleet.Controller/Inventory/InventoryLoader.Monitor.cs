using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>The 'monitor:' section of an environment (the watch after a rollback).</summary>
public sealed partial class InventoryLoader
{
    private static readonly string[] MonitorKeys = ["window", "interval", "host_window", "error_lines", "health_failures", "memory_percent", "agent_health_port"];

    private MonitorConfig ReadMonitor(YamlNode node, string where)
    {
        var monitor = Mapping(node, $"{where} monitor", "a mapping such as '{ window: 10m, interval: 5s, host_window: 1m }'");
        CheckKeys(monitor, MonitorKeys, $"{where} monitor");
        var d = MonitorConfig.Default;
        var window = OptionalScalar(monitor, "window") is { } w ? DurationOrOff(w) : d.Window;
        var interval = OptionalScalar(monitor, "interval") is { } i ? ParseDuration(i) : d.Interval;
        var hostWindow = OptionalScalar(monitor, "host_window") is { } h ? DurationOrOff(h) : d.HostWindow;
        if (window > TimeSpan.Zero && interval > window)
        {
            throw Error(OptionalScalar(monitor, "interval")!, $"{where} monitor: 'interval' ({interval.TotalSeconds:0} s) is longer than 'window' ({window.TotalSeconds:0} s). Probe more often than the window lasts, e.g. 'interval: 5s'.");
        }

        return new MonitorConfig(
            window,
            interval,
            hostWindow,
            Count(monitor, "error_lines", d.ErrorLines, 0, 100_000, where),
            Count(monitor, "health_failures", d.HealthFailures, 1, 100, where),
            Count(monitor, "memory_percent", d.MemoryPercent, 1, 100, where),
            Count(monitor, "agent_health_port", d.AgentHealthPort, 0, 65_535, where));
    }

    /// <summary>A duration, or 'off' (zero: no watch).</summary>
    private TimeSpan DurationOrOff(YamlScalarNode node) =>
        string.Equals(node.Value, "off", StringComparison.Ordinal) ? TimeSpan.Zero : ParseDuration(node);

    private int Count(YamlMappingNode map, string key, int fallback, int min, int max, string where)
    {
        if (OptionalScalar(map, key) is not { } node)
        {
            return fallback;
        }

        return int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Error(node, $"{where} monitor: '{key}: {node.Value}' is not a whole number from {min} to {max}.");
    }
}
