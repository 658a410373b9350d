using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class BackupSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose database to back up (on its 'database:' host).")]
    public string Environment { get; set; } = "";

    [CommandOption("--quick")]
    [Description("Fast compression, not verified right away (the runbook's backup_db.sh --quick). The default.")]
    public bool Quick { get; set; }

    [CommandOption("--full")]
    [Description("Stronger compression, verified (sha256 and pg_restore --list) as part of the backup.")]
    public bool Full { get; set; }

    [CommandOption("--forensic")]
    [Description("Keep the evidence of an incident (runbook scenario 5); verified.")]
    public bool Forensic { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why; recorded with the backup and in the journal.")]
    public string? Reason { get; set; }

    public string Kind => Full ? "full" : Forensic ? "forensic" : "quick";

    public override ValidationResult Validate() =>
        new[] { Quick, Full, Forensic }.Count(x => x) > 1
            ? ValidationResult.Error("give one of --quick, --full, --forensic.")
            : ValidationResult.Success();
}

public sealed class BackupsSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose backups to list.")]
    public string Environment { get; set; } = "";

    [CommandOption("--verify <ID>")]
    [Description("Verify one backup (sha256 and its table of contents) and record the verdict.")]
    public string? Verify { get; set; }

    [CommandOption("--prune")]
    [Description("Delete backups by the database host's retention policy (keep the last N and one a day for D days; never the newest verified).")]
    public bool Prune { get; set; }

    [CommandOption("--dry-run")]
    [Description("With --prune: list what would be deleted, delete nothing.")]
    public bool DryRun { get; set; }

    public override ValidationResult Validate() =>
        Verify is not null && Prune ? ValidationResult.Error("give --verify or --prune, not both.")
        : DryRun && !Prune ? ValidationResult.Error("--dry-run goes with --prune.")
        : ValidationResult.Success();
}

public sealed class RestoreSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose database to restore.")]
    public string Environment { get; set; } = "";

    [CommandArgument(1, "<BACKUP_ID>")]
    [Description("An id from 'teafleet backups ENV' (never a path).")]
    public string BackupId { get; set; } = "";

    [CommandOption("-y|--yes")]
    [Description("Confirm a production restore without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--skip-drill")]
    [Description("Bypass the staging drill gate (needs --reason; recorded in the journal and report).")]
    public bool SkipDrill { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (incident note); recorded in the journal, the backup catalogue and the report.")]
    public string? Reason { get; set; }

    public override ValidationResult Validate() =>
        SkipDrill && string.IsNullOrWhiteSpace(Reason)
            ? ValidationResult.Error("--skip-drill needs --reason TEXT (it is recorded in the journal and the incident report).")
            : ValidationResult.Success();
}
