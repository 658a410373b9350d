using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class ReportSettings : FleetSettings
{
    [CommandArgument(0, "<RUN_ID>")]
    [Description("The run to write the report of (see 'teafleet runs').")]
    public string RunId { get; set; } = "";

    [CommandOption("--out <DIR>")]
    [Description("Write the report into DIR instead of the state directory's reports/.")]
    public string? Out { get; set; }

    public override ValidationResult Validate() =>
        Out is { } dir && string.IsNullOrWhiteSpace(dir) ? ValidationResult.Error("--out needs a directory.") : ValidationResult.Success();
}
