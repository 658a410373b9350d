using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class RunsSettings : FleetSettings
{
    [CommandOption("-n|--limit <N>")]
    [Description("At most N runs, newest first (default 20).")]
    [DefaultValue(20)]
    public int Limit { get; set; } = 20;

    public override ValidationResult Validate() =>
        Limit < 1 ? ValidationResult.Error("--limit must be at least 1.") : ValidationResult.Success();
}
