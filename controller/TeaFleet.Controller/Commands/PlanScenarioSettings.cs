using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

/// <summary>The arguments of 'plan scenario': which scenario, where, and optionally the release to go back to.</summary>
public class PlanScenarioSettings : FleetSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The runbook scenario: bad-gateway, migration-failed, worker, frontend, security.")]
    public string Name { get; set; } = "";

    [CommandArgument(1, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandOption("--to <REF>")]
    [Description("The release to go back to (tag, branch or commit); default: the last good release.")]
    public string? To { get; set; }

    [CommandOption("--before <TIME>")]
    [Description("security: when the incident began; the newest verified backup taken before TIME is restored (\"2026-11-20 14:00\", local time unless it has an offset or Z). Required.")]
    public string? Before { get; set; }

    [CommandOption("--patched <REF>")]
    [Description("security: the patched code to switch to (tag, branch or commit); default: the code that matches the backup, which still has the vulnerability.")]
    public string? Patched { get; set; }

    public ScenarioRequest ToRequest() => new(To, PlanRollbackSettings.ParseTime(Before), Patched);

    public override ValidationResult Validate()
    {
        if (Before is not null && PlanRollbackSettings.ParseTime(Before) is null)
        {
            return ValidationResult.Error($"--before '{Before}' is not a time: write it like \"2026-11-20 14:00\" (local time), \"2026-11-20 14:00Z\" or \"2026-11-20T14:00:00+01:00\".");
        }

        return Patched is not null && !GitRefs.IsPlausibleRef(Patched)
            ? ValidationResult.Error($"--patched '{Patched}' is not a commit, tag or branch name.")
            : ValidationResult.Success();
    }
}
