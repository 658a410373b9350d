using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Migrations;

namespace TeaFleet.Agent.Tests;

/// <summary>Which backup holds the schema the database had when it was last at its head.</summary>
public sealed class ReferenceChoiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static Backup B(string id, int minutes, string head, VerifyState verified = VerifyState.Verified, BackupKind kind = BackupKind.Full) => new()
    {
        Id = id,
        TakenAt = T0.AddMinutes(minutes),
        MigrationHead = head,
        VerifyState = verified,
        Kind = kind,
        Format = kind == BackupKind.Legacy ? BackupFormat.PlainGzip : BackupFormat.Custom,
    };

    [Fact]
    public void The_newest_verified_backup_at_the_head_taken_before_the_downgrade_back_to_it()
    {
        // 0001 backed up (10:00, 10:10), deploy's upgrade to 0002 (backup at 0002 10:20), the Type 2
        // downgrade back to 0001 at 10:30, then a backup at 0001 that already holds the leftover (10:40).
        var backups = new[] { B("a", 0, "0001"), B("b", 10, "0001"), B("c", 20, "0002"), B("after", 40, "0001") };
        var downgrade = new RecordedDowngrade("run.4.db", T0.AddMinutes(30), "0001");

        var choice = ReferenceChoice.Choose("0001", backups, [downgrade]);

        Assert.Equal("b", choice.Backup?.Id);
        Assert.Equal(downgrade, choice.Downgrade);
        Assert.Contains("taken before the downgrade run.4.db", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_newest_downgrade_to_the_head_counts_and_downgrades_to_other_heads_do_not()
    {
        var backups = new[] { B("old", 0, "0001"), B("between", 50, "0001"), B("late", 90, "0001") };
        var downgrades = new[]
        {
            new RecordedDowngrade("first", T0.AddMinutes(30), "0001"),
            new RecordedDowngrade("second", T0.AddMinutes(60), "0001"),
            new RecordedDowngrade("elsewhere", T0.AddMinutes(80), "0002"),
        };

        Assert.Equal("between", ReferenceChoice.Choose("0001", backups, downgrades).Backup?.Id);
    }

    [Fact]
    public void Unverified_failed_legacy_and_other_heads_are_never_the_reference_and_none_is_said_not_guessed()
    {
        var backups = new[]
        {
            B("quick", 5, "0001", VerifyState.Unverified, BackupKind.Quick),
            B("broken", 6, "0001", VerifyState.Failed),
            B("legacy", 7, "", kind: BackupKind.Legacy),
            B("other", 8, "0002"),
        };

        var choice = ReferenceChoice.Choose("0001", backups, [new RecordedDowngrade("d", T0.AddMinutes(30), "0001")]);

        Assert.Null(choice.Backup);
        Assert.Contains("no verified backup at 0001 taken before the downgrade d", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("teafleet backups ENV --verify quick", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_recorded_downgrade_the_newest_verified_backup_at_the_head_and_the_reason_says_what_that_cannot_see()
    {
        var choice = ReferenceChoice.Choose("0001", [B("a", 0, "0001"), B("b", 10, "0001"), B("c", 20, "0001", VerifyState.Unverified)], []);

        Assert.Equal("b", choice.Backup?.Id);
        Assert.Null(choice.Downgrade);
        Assert.Contains("no downgrade to 0001 was recorded", choice.Reason, StringComparison.Ordinal);
    }
}
