using System.Text.RegularExpressions;

namespace TeaFleet.Fleet.Tests;

/// <summary>
/// Kiosk's way back (issue 11 items 1 and 5): a Type 2 whose switch fails after its downgrade leaves the app
/// serving on the current code with the database at its head, and `resume` then finishes the same run. The
/// fault is a real one an operator meets: a file edited by hand in the host's checkout stops the checkout.
/// </summary>
public sealed partial class KioskWayBackTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_type_2_that_fails_after_its_downgrade_leaves_the_app_serving_and_resume_finishes_it()
    {
        var host = fleet.KioskStaging;
        var inventory = fleet.NewKioskInventory();
        await KioskSetup.StartAtAsync(fleet, inventory, host, "1.1.0");
        var v110 = fleet.KioskCommits["1.1.0"];

        // status shows each service's release by tag and short commit (Kiosk sets no image labels).
        var status = await fleet.TeaFleetOkAsync(inventory, "status", "staging");
        Assert.Contains($"runs 1.1.0 ({v110[..12]})", status.Flat, StringComparison.Ordinal);

        var release = Path.Combine(host.Dir, "app", "RELEASE");
        await File.AppendAllTextAsync(release, "edited by hand\n", TestContext.Current.CancellationToken);
        ProcessResult rollback;
        try
        {
            rollback = await fleet.TeaFleetAsync(inventory, "rollback", "staging", "--to", "1.0.0", "--yes");

            Assert.True(rollback.ExitCode == 1, "a Type 2 whose switch fails was reported as: " + rollback);
            Assert.Contains("local changes", rollback.Flat, StringComparison.Ordinal);
            Assert.Contains("the database was put back from the pre-downgrade backup", rollback.Flat, StringComparison.Ordinal);
            Assert.Contains("the app serves on the current code", rollback.Flat, StringComparison.Ordinal);
            // What the operator checks: 1.1.0 answers, the database is at 1.1.0's head again.
            Assert.Equal(v110, await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
            Assert.Equal(v110, await KioskApp.CommitAsync(fleet.Http, host, KioskApp.AdminPort));
            Assert.Equal("5e9d2b7c4a10", KioskApp.AlembicHead(host));
        }
        finally
        {
            await Processes.CheckedAsync("git", "-C", Path.Combine(host.Dir, "app"), "checkout", "--", "RELEASE");
        }

        var runId = RunId().Match(rollback.All).Groups[1].Value;
        var resumed = await fleet.TeaFleetAsync(inventory, "resume", runId);

        Assert.True(resumed.ExitCode == 0, "resume after the fix: " + resumed);
        Assert.Equal(fleet.KioskCommits["1.0.0"], await KioskApp.CommitAsync(fleet.Http, host, KioskApp.ApiPort));
        Assert.Equal("a3c1e5f70b21", KioskApp.AlembicHead(host));
        var after = await fleet.TeaFleetOkAsync(inventory, "status", "staging");
        Assert.Contains($"runs 1.0.0 ({fleet.KioskCommits["1.0.0"][..12]})", after.Flat, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"for run (\S+) on ")]
    private static partial Regex RunId();
}
