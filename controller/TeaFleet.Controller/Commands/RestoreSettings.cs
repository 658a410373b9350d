using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

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
