using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

public sealed class DeploySettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment to deploy to.")]
    public string Environment { get; set; } = "";

    [CommandArgument(1, "<REF>")]
    [Description("Commit, tag or branch; it must exist on every host of ENV.")]
    public string Ref { get; set; } = "";

    [CommandOption("--services <LIST>")]
    [Description("Comma-separated services (default: all).")]
    public string? Services { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Confirm a production deploy without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why; recorded in the journal and the agents' ledger.")]
    public string? Reason { get; set; }

    public IReadOnlyList<string> ServiceList => SplitServices(Services);

    public override ValidationResult Validate()
    {
        if (!GitRefs.IsPlausibleRef(Ref))
        {
            return ValidationResult.Error($"'{Ref}' is not a commit, tag or branch name.");
        }

        return ValidateServices(Services);
    }
}
