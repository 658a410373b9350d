namespace TeaFleet.Controller.Inventory;

/// <summary>How recent a successful staging run must be to open the production gate.</summary>
public sealed record DrillPolicy(TimeSpan Window)
{
    public static DrillPolicy Default { get; } = new(TimeSpan.FromHours(24));
}
