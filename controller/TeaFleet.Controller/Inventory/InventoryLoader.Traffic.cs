using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>An environment's 'traffic:' (how a Type 2 rollback stops traffic).</summary>
public sealed partial class InventoryLoader
{
    /// <summary>'traffic: stop | block | maintenance'; another word names the line and the three choices.</summary>
    private TrafficOption ReadTraffic(YamlScalarNode node, string where) =>
        TrafficOptions.Parse(node.Value)
            ?? throw Error(node, $"'traffic: {node.Value}' in {where} is not one of {string.Join(", ", TrafficOptions.Words)}. " +
                "Write how a Type 2 rollback stops traffic: 'stop' (stop frontend and backend, the default), 'block' (deny the public ports in ufw) or 'maintenance' (the app's nginx shows its maintenance page; the agents need Agent:Maintenance).");
}
