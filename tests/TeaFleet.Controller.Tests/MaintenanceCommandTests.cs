using Microsoft.Extensions.Time.Testing;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>'teafleet maintenance ENV on|off' as a user types it (plans printed, bad words refused) and the status line of a host behind its page.</summary>
public sealed class MaintenanceCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-20T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _dir.Dispose();

    private string Inventory => _dir.File("teafleet.yaml", Samples.Inventory);

    [Fact]
    public async Task On_with_plan_prints_an_enable_step_per_host_with_the_reason_and_changes_nothing()
    {
        var fleet = new FakeFleetReader();

        var (exit, output, error) = await CliRun.RunAsync(_time, fleet, "maintenance", "production", "on", "--plan", "--reason", "INC-46 Type 2", "-i", Inventory);

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("put the maintenance page up on prod-1, prod-2", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("maintenance.enable").Length - 1);
        Assert.Contains("INC-46 Type 2", output, StringComparison.Ordinal);
        Assert.Contains("'teafleet maintenance production off' takes it down", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_with_plan_takes_the_page_down_one_host_at_a_time_each_host_watched_before_the_next()
    {
        var (exit, output, _) = await CliRun.RunAsync(_time, new FakeFleetReader(), "maintenance", "production", "off", "--plan", "--hosts", "prod-2,prod-1", "-i", Inventory);

        Assert.Equal(0, exit);
        var disable2 = output.IndexOf("maintenance.disable", StringComparison.Ordinal);
        var health = output.IndexOf("monitor", disable2, StringComparison.Ordinal);
        var disable1 = output.IndexOf("maintenance.disable", disable2 + 1, StringComparison.Ordinal);
        Assert.True(disable2 >= 0 && health > disable2 && disable1 > health, output);
        Assert.True(output.IndexOf("prod-2", StringComparison.Ordinal) < output.IndexOf("prod-1", output.IndexOf("maintenance.disable", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sideways", "'sideways' is neither 'on' nor 'off'")]
    [InlineData("on --hosts nosuch", "--hosts: 'nosuch' is not a host of 'production'")]
    public async Task A_bad_state_or_host_is_refused_with_exit_2_and_what_to_write(string args, string message)
    {
        var (exit, output, error) = await CliRun.RunAsync(_time, new FakeFleetReader(), ["maintenance", "production", .. args.Split(' '), "--plan", "-i", Inventory]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(message, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_refuses_hosts_without_the_page_before_taking_the_lease_and_says_what_to_configure()
    {
        var fleet = new FakeFleetReader();
        fleet.Maintenance["prod-1"] = new MaintenanceStatusResponse { Configured = true, ProxyService = "frontend" };
        fleet.Maintenance["prod-2"] = new MaintenanceStatusResponse { Configured = false, Message = "no maintenance page on this host: set Agent:Maintenance:Directory" };

        var (exit, output, error) = await CliRun.RunAsync(_time, fleet, "maintenance", "production", "on", "--yes", "-i", Inventory);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("prod-2: no maintenance page on this host: set Agent:Maintenance:Directory", output + error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", output + error, StringComparison.Ordinal);
        Assert.Empty(fleet.LeaseCalls.Calls);
    }

    [Fact]
    public void Status_shows_a_host_behind_its_page_with_since_reason_and_the_undo_command_and_nothing_when_it_is_off()
    {
        var on = new MaintenanceStatusResponse
        {
            Configured = true,
            On = true,
            Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.Parse("2026-11-20T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            Reason = "INC-46",
        };

        var line = MaintenanceText.Line(on, "production");

        Assert.Equal("[red]MAINTENANCE[/]: the app's users get the maintenance page since 2026-11-20 16:00:00Z (INC-46) (undo: teafleet maintenance production off)", line);
        Assert.Null(MaintenanceText.Line(new MaintenanceStatusResponse { Configured = true }, "production"));
        Assert.Null(MaintenanceText.Line(new MaintenanceStatusResponse { Configured = false }, "production"));
        Assert.Null(MaintenanceText.Line(null, "production"));
    }
}
