using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>The options of 'scenario': plan only, confirmation, the drill gate's bypass and the reason.</summary>
public sealed class ScenarioSettings : PlanScenarioSettings
{
    [CommandOption("--plan")]
    [Description("Print the plan and change nothing.")]
    public bool PlanOnly { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Confirm in production without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--skip-drill")]
    [Description("Bypass the staging drill gate (needs --reason; recorded in the journal and report).")]
    public bool SkipDrill { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (incident note); recorded in the journal and the report.")]
    public string? Reason { get; set; }

    public override ValidationResult Validate() =>
        SkipDrill && string.IsNullOrWhiteSpace(Reason)
            ? ValidationResult.Error("--skip-drill needs --reason TEXT (it is recorded in the journal and the incident report).")
            : base.Validate();
}
