using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

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

    [CommandOption("--reason <TEXT>")]
    [Description("With --verify or --prune: why, recorded in the run's journal.")]
    public string? Reason { get; set; }

    public override ValidationResult Validate() =>
        Verify is not null && Prune ? ValidationResult.Error("give --verify or --prune, not both.")
        : DryRun && !Prune ? ValidationResult.Error("--dry-run goes with --prune.")
        : Reason is not null && Verify is null && !Prune ? ValidationResult.Error("--reason goes with --verify or --prune.")
        : ValidationResult.Success();
}
