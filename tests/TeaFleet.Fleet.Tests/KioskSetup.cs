namespace TeaFleet.Fleet.Tests;

/// <summary>Where a Kiosk test starts from.</summary>
public static class KioskSetup
{
    /// <summary>
    /// Kiosk on the host at a release, its database migrated by the releases up to it and nothing else in
    /// it: emptied, then deployed release by release from 1.0.0, as the app's history would have it.
    /// </summary>
    public static async Task StartAtAsync(FleetFixture fleet, string inventory, FleetHost host, string release)
    {
        var environment = host == fleet.KioskProduction ? "production" : "staging";
        KioskApp.EmptyDatabase(host);
        foreach (var step in fleet.KioskCommits.Keys.Order(StringComparer.Ordinal).TakeWhile(r => string.CompareOrdinal(r, release) <= 0))
        {
            await fleet.TeaFleetOkAsync(inventory, "deploy", environment, step, "--yes");
        }

        Assert.Equal(fleet.KioskCommits[release], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
    }
}
