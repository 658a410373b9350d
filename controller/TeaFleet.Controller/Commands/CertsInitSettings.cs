using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class CertsInitSettings : FleetSettings
{
    [CommandOption("--dir <DIR>")]
    [Description("Where the PEM files go. Default: the directory of the inventory's certificates.ca, else ./pki.")]
    public string? Dir { get; set; }

    [CommandOption("--operator <NAME>")]
    [Description("CN of the operator's client certificate (default: operator).")]
    [DefaultValue("operator")]
    public string Operator { get; set; } = "operator";

    public override ValidationResult Validate() =>
        Operator.Length is > 0 and <= 64 && !Operator.Any(char.IsControl)
            ? ValidationResult.Success()
            : ValidationResult.Error("--operator must be 1-64 printable characters.");
}
