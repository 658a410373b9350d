using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

/// <summary>What a rollback is asked for (shared by 'plan rollback' and 'rollback').</summary>
public class PlanRollbackSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment to roll back (staging, production).")]
    public string Environment { get; set; } = "";

    [CommandOption("--to <REF>")]
    [Description("Target commit, tag or branch. Default: the release before the current one in the environment's ledger (Type 3: the release live when the backup was taken).")]
    public string? To { get; set; }

    [CommandOption("--services <LIST>")]
    [Description("Comma-separated services to switch (default: the hosts' release services).")]
    public string? Services { get; set; }

    [CommandOption("--type <N>")]
    [Description("The runbook type. Default: chosen from the migration heads (same head: 1, older head: 2). 3 restores a backup (the newest verified one unless --before or --backup).")]
    public int? Type { get; set; }

    [CommandOption("--before <TIME>")]
    [Description("Type 3: restore the newest verified backup taken before TIME (\"2026-11-20 14:00\", local time unless it has an offset or Z).")]
    public string? Before { get; set; }

    [CommandOption("--backup <ID>")]
    [Description("Type 3: restore this backup id (from 'teafleet backups ENV').")]
    public string? Backup { get; set; }

    public IReadOnlyList<string> ServiceList => SplitServices(Services);

    /// <summary>--before as a time, parsed once (by validation, which runs first) and kept.</summary>
    public DateTimeOffset? BeforeTime
    {
        get
        {
            if (!_beforeParsed)
            {
                _beforeTime = ParseTime(Before);
                _beforeParsed = true;
            }

            return _beforeTime;
        }
    }

    private DateTimeOffset? _beforeTime;
    private bool _beforeParsed;

    public RollbackRequest ToRequest() => new(To, ServiceList, Type, BeforeTime, Backup);

    public override ValidationResult Validate()
    {
        if (To is not null && !GitRefs.IsPlausibleRef(To))
        {
            return ValidationResult.Error($"--to '{To}' is not a commit, tag or branch name.");
        }

        if (Type is not (null or 1 or 2 or 3))
        {
            return ValidationResult.Error($"--type {Type} is not a runbook type: give 1, 2 or 3 (or leave it out to let TeaFleet choose).");
        }

        if ((Before is not null || Backup is not null) && Type is 1 or 2)
        {
            return ValidationResult.Error("--before and --backup restore a backup: that is Type 3, not --type " + Type + ".");
        }

        if (Before is not null && Backup is not null)
        {
            return ValidationResult.Error("give --before TIME or --backup ID, not both.");
        }

        if (Before is not null && BeforeTime is null)
        {
            return ValidationResult.Error($"--before '{Before}' is not a time: write it like \"2026-11-20 14:00\" (local time), \"2026-11-20 14:00Z\" or \"2026-11-20T14:00:00+01:00\".");
        }

        return ValidateServices(Services);
    }

    /// <summary>A time as operators write it; local time unless it carries an offset or Z.</summary>
    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];
        var trimmed = text.Trim();
        if (trimmed.EndsWith('Z') || trimmed.Contains('+', StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"[T ]\d\d:\d\d(:\d\d)?-\d\d:?\d\d$"))
        {
            return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset.ToUniversalTime() : null;
        }

        return DateTime.TryParseExact(trimmed, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local)
            ? new DateTimeOffset(local).ToUniversalTime()
            : null;
    }
}
