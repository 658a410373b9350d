namespace TeaFleet.Controller.Inventory;

/// <summary>The words of <see cref="TrafficOption"/> as the inventory and the plan spell them.</summary>
public static class TrafficOptions
{
    public static readonly IReadOnlyList<string> Words = ["stop", "block", "maintenance"];

    public static string Word(this TrafficOption option) => option switch
    {
        TrafficOption.Block => "block",
        TrafficOption.Maintenance => "maintenance",
        _ => "stop",
    };

    public static TrafficOption? Parse(string? word) => word switch
    {
        "stop" => TrafficOption.Stop,
        "block" => TrafficOption.Block,
        "maintenance" => TrafficOption.Maintenance,
        _ => null,
    };
}
