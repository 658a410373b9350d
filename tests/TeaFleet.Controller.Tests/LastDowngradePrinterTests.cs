using Google.Protobuf.WellKnownTypes;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>`teafleet migrations` shows that the last downgrade failed, why, and whether it only was rendered offline.</summary>
public sealed class LastDowngradePrinterTests
{
    private static MigrationStatus Status(bool offline) => new()
    {
        Host = "prod-1",
        DatabaseHeads = { "c7f04d1a9e36" },
        CodeCommit = Samples.C3,
        CodeHeads = { "c7f04d1a9e36" },
        State = MigrationState.UpToDate,
        Detail = "the database is at the live code's head c7f04d1a9e36",
        Image = "kiosk-api:c3",
        ImagePresent = true,
        LastDowngradeFailed = true,
        LastDowngradeOperationId = "RUN.5.prod-1",
        LastDowngradeMessage = "migrations.downgrade failed at step downgrade: RuntimeError: 0003 cannot be downgraded; the database is unchanged (still at c7f04d1a9e36)",
        LastDowngradeOffline = offline,
        LastDowngradeAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero)),
    };

    [Fact]
    public void A_failed_downgrade_is_shown_with_its_message_in_text_and_json()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);

        MigrationsPrinter.Print(text.Output, "production", Status(offline: false));
        MigrationsPrinter.Print(json.Output, "production", Status(offline: false));

        Assert.Contains("  the last downgrade failed at 2026-12-02 04:00:00Z (RUN.5.prod-1): migrations.downgrade failed at step downgrade: RuntimeError: 0003 cannot be downgraded; the database is unchanged (still at c7f04d1a9e36)", text.Lines);
        var m = Assert.Single(json.JsonLines);
        Assert.True(m.GetProperty("last_downgrade_failed").GetBoolean());
        Assert.False(m.GetProperty("last_downgrade_offline").GetBoolean());
        Assert.Equal("RUN.5.prod-1", m.GetProperty("last_downgrade_operation_id").GetString());
        Assert.Contains("the database is unchanged", m.GetProperty("last_downgrade_message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_offline_render_says_nothing_ran_against_the_database()
    {
        var text = new PrinterTestConsole(json: false);

        MigrationsPrinter.Print(text.Output, "production", Status(offline: true));

        Assert.Contains(text.Lines, l => l.StartsWith("  the last downgrade failed (rendered offline as a pre-flight: nothing ran against the database)", StringComparison.Ordinal));
    }

    [Fact]
    public void No_failed_downgrade_prints_no_line()
    {
        var text = new PrinterTestConsole(json: false);
        var status = Status(offline: false);
        status.LastDowngradeFailed = false;

        MigrationsPrinter.Print(text.Output, "production", status);

        Assert.DoesNotContain(text.Lines, l => l.Contains("last downgrade", StringComparison.Ordinal));
    }
}
