using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

public sealed class PlanRollbackSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandOption("--to <REF>")]
    [Description("Target commit, tag or branch. Default: the release before the current one.")]
    public string? To { get; set; }

    [CommandOption("--services <LIST>")]
    [Description("Comma-separated services (default: all).")]
    public string? Services { get; set; }

    public IReadOnlyList<string> ServiceList => SplitServices(Services);

    public override ValidationResult Validate()
    {
        if (To is not null && !GitRefs.IsPlausibleRef(To))
        {
            return ValidationResult.Error($"--to '{To}' is not a commit, tag or branch name.");
        }

        return ServiceList.FirstOrDefault(s => !IsServiceName(s)) is { } bad
            ? ValidationResult.Error($"--services: '{bad}' is not a service name.")
            : ValidationResult.Success();
    }
}
