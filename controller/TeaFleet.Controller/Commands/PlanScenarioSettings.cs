using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>The arguments of 'plan scenario': which scenario, where, and optionally the release to go back to.</summary>
public class PlanScenarioSettings : FleetSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The runbook scenario: bad-gateway, migration-failed, worker, frontend (security: not available yet).")]
    public string Name { get; set; } = "";

    [CommandArgument(1, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandOption("--to <REF>")]
    [Description("The release to go back to (tag, branch or commit); default: the last good release.")]
    public string? To { get; set; }
}
