namespace TeaFleet.Controller.Inventory;

/// <summary>One VPS: its inventory name (the name its agent certificate must carry) and its agent address.</summary>
public sealed record HostConfig(string Name, Uri Address, string Environment)
{
    public override string ToString() => $"{Name} at {Address.GetLeftPart(UriPartial.Authority)}";
}
