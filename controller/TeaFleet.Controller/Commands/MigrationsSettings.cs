using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

public sealed class MigrationsSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose migrations to show (read on its 'database:' host).")]
    public string Environment { get; set; } = "";

    [CommandOption("--target <REF>")]
    [Description("Also show what it takes to bring the database to REF's head (revisions to downgrade or upgrade).")]
    public string? Target { get; set; }

    public override ValidationResult Validate() =>
        Target is not null && !GitRefs.IsPlausibleRef(Target)
            ? ValidationResult.Error($"--target '{Target}' is not a commit, tag or branch name.")
            : ValidationResult.Success();
}
