using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

public sealed class RollbackSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment to roll back (staging, production).")]
    public string Environment { get; set; } = "";

    [CommandOption("--to <REF>")]
    [Description("Target commit, tag or branch. Default: the release before the current one in the environment's ledger.")]
    public string? To { get; set; }

    [CommandOption("--services <LIST>")]
    [Description("Comma-separated services to switch (default: all the hosts allow).")]
    public string? Services { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Confirm a production rollback without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--skip-drill")]
    [Description("Bypass the staging drill gate (needs --reason; recorded in the journal and report).")]
    public bool SkipDrill { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (incident note); recorded in the journal, the agents' ledger and the report.")]
    public string? Reason { get; set; }

    public IReadOnlyList<string> ServiceList => SplitServices(Services);

    public override ValidationResult Validate()
    {
        if (SkipDrill && string.IsNullOrWhiteSpace(Reason))
        {
            return ValidationResult.Error("--skip-drill needs --reason TEXT (it is recorded in the journal and the incident report).");
        }

        if (To is not null && !GitRefs.IsPlausibleRef(To))
        {
            return ValidationResult.Error($"--to '{To}' is not a commit, tag or branch name.");
        }

        return ServiceList.FirstOrDefault(s => !IsServiceName(s)) is { } bad
            ? ValidationResult.Error($"--services: '{bad}' is not a service name (letters, digits, '-', '_', '.').")
            : ValidationResult.Success();
    }
}
