using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Tests;

public sealed class BackupCatalogueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("teafleet-backups-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BackupCatalogue Open() => new(
        Microsoft.Extensions.Options.Options.Create(new AgentOptions { HostName = "db-1", BackupDir = _dir, Database = new DatabaseOptions { Name = "tea", User = "tea" } }),
        NullLogger<BackupCatalogue>.Instance);

    private static Backup At(string id, DateTimeOffset at, VerifyState state = VerifyState.Unverified, BackupKind kind = BackupKind.Quick) => new()
    {
        Id = id,
        TakenAt = at,
        Kind = kind,
        Format = BackupFormat.Custom,
        FileName = id + ".dump",
        VerifyState = state,
        SizeBytes = 10,
    };

    [Fact]
    public void A_catalogued_backup_survives_a_restart_and_a_deleted_one_does_not()
    {
        var now = DateTimeOffset.Parse("2026-11-20T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        using (var catalogue = Open())
        {
            File.WriteAllText(Path.Combine(_dir, "a.dump"), "x");
            File.WriteAllText(Path.Combine(_dir, "b.dump"), "x");
            catalogue.Put(At("a", now));
            catalogue.Put(At("b", now.AddHours(1)));
            var verified = At("a", now, VerifyState.Verified);
            catalogue.Put(verified);
            catalogue.Delete(catalogue.Get("b"));
        }

        using var reopened = Open();
        var all = reopened.List();
        Assert.Equal(["a"], all.Select(b => b.Id));
        Assert.Equal(VerifyState.Verified, all[0].VerifyState);
        Assert.False(File.Exists(Path.Combine(_dir, "b.dump")));
    }

    [Fact]
    public void A_partial_file_left_by_a_crash_is_removed_at_start_and_never_listed()
    {
        File.WriteAllText(Path.Combine(_dir, BackupCatalogue.PartialPrefix + "20261120-140000-quick.dump"), "half");

        using var catalogue = Open();

        Assert.Empty(catalogue.List());
        Assert.Empty(Directory.EnumerateFiles(_dir, BackupCatalogue.PartialPrefix + "*"));
    }

    [Fact]
    public void The_runbooks_old_plain_dumps_are_listed_as_legacy_backups_with_their_time()
    {
        var month = Directory.CreateDirectory(Path.Combine(_dir, "2024-01")).FullName;
        using (var gz = new GZipStream(File.Create(Path.Combine(month, "tea_backup_20240114_020000.sql.gz")), CompressionLevel.Fastest))
        {
            gz.Write("--\n-- PostgreSQL database dump\n--\n"u8);
        }

        File.WriteAllText(Path.Combine(month, "notes.txt"), "not a backup");

        using var catalogue = Open();
        var legacy = Assert.Single(catalogue.List());

        Assert.Equal("legacy-20240114-020000", legacy.Id);
        Assert.Equal(BackupKind.Legacy, legacy.Kind);
        Assert.Equal(BackupFormat.PlainGzip, legacy.Format);
        Assert.Equal(Path.Combine("2024-01", "tea_backup_20240114_020000.sql.gz"), legacy.FileName);
        Assert.Equal(new DateTime(2024, 1, 14, 2, 0, 0), legacy.TakenAt!.Value.UtcDateTime.ToLocalTime());
        Assert.Equal(legacy.Id, catalogue.Get(legacy.Id).Id);
    }

    [Theory]
    [InlineData("/var/backups/tea/x.dump", "paths are never accepted")]
    [InlineData("../x", "paths are never accepted")]
    [InlineData("tea_backup_20240114_020000.sql.gz", "paths are never accepted")]
    [InlineData("", "no backup id given")]
    public void A_path_or_no_id_is_refused_with_what_to_give_instead(string id, string expected)
    {
        using var catalogue = Open();

        var error = Assert.Throws<AgentException>(() => catalogue.Get(id));

        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("teafleet backups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_id_is_not_found()
    {
        using var catalogue = Open();

        var error = Assert.Throws<AgentException>(() => catalogue.Get("20991231-000000-quick"));

        Assert.Equal(global::Grpc.Core.StatusCode.NotFound, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(error.Kind));
    }

    [Fact]
    public void Retention_keeps_the_last_n_one_a_day_and_the_newest_verified_and_never_touches_legacy_dumps()
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var backups = new List<Backup>
        {
            At("today-2", now.AddHours(-1)),
            At("today-1", now.AddHours(-2)),
            At("yesterday-2", now.AddDays(-1)),
            At("yesterday-1", now.AddDays(-1).AddHours(-1)),
            At("old-verified", now.AddDays(-30), VerifyState.Verified),
            At("old", now.AddDays(-31)),
            At("legacy-20240114-020000", now.AddDays(-400), kind: BackupKind.Legacy),
        };

        var doomed = RetentionPolicy.Select(backups, keepLast: 1, keepDailyDays: 2, now).Select(b => b.Id).ToList();

        // Kept: today-2 (last 1, and newest of today), yesterday-2 (newest of yesterday), old-verified (newest verified), the legacy dump.
        Assert.Equal(["today-1", "yesterday-1", "old"], doomed);
    }
}
