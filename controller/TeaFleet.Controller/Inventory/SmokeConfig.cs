namespace TeaFleet.Controller.Inventory;

/// <summary>An environment's smoke test: requests against its public URL, in order ('smoke:' in the inventory).</summary>
public sealed record SmokeConfig(Uri BaseUrl, IReadOnlyList<SmokeCheck> Checks);
