using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>The arguments of 'confirm': the run, the item (none: list the open ones) and the operator's note.</summary>
public sealed class ConfirmSettings : FleetSettings
{
    [CommandArgument(0, "<RUN_ID>")]
    [Description("The run whose checklist item was done (see 'teafleet runs').")]
    public string RunId { get; set; } = "";

    [CommandArgument(1, "[ITEM]")]
    [Description("The item's key (e.g. secrets-rotated, team-notified); left out: the run's open items are listed.")]
    public string? Item { get; set; }

    [CommandOption("--note <TEXT>")]
    [Description("What was done (\"rotated DB and JWT secrets, INC-51\"); recorded with who and when.")]
    public string? Note { get; set; }

    public override ValidationResult Validate() =>
        Note is not null && Item is null ? ValidationResult.Error("--note needs an ITEM to confirm: teafleet confirm RUN_ID ITEM --note TEXT.") : ValidationResult.Success();
}
