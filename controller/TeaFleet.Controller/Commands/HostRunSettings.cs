using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// The options every run over some hosts of an environment takes ('block', 'allow', 'maintenance'): the
/// environment, which hosts, plan only, confirmation, reason.
/// </summary>
public abstract class HostRunSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandOption("--hosts <LIST>")]
    [Description("Only these hosts of ENV, comma-separated, in this order (default: every host, in the inventory's order).")]
    public string? Hosts { get; set; }

    [CommandOption("--plan")]
    [Description("Print the plan and change nothing.")]
    public bool PlanOnly { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Confirm in production without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (incident note); recorded in the journal and the report.")]
    public string? Reason { get; set; }

    /// <summary>The --hosts names; none when it was left out.</summary>
    public IReadOnlyList<string> HostNames => SplitServices(Hosts);

    public override ValidationResult Validate()
    {
        var hosts = ValidateList(Hosts, "--hosts", "host", "every host of ENV", IsServiceName, "letters, digits, '-', '_', '.'");
        if (!hosts.Successful)
        {
            return hosts;
        }

        return Reason is { } reason && (reason.Trim().Length == 0 || reason.Length > 500 || reason.Any(char.IsControl))
            ? ValidationResult.Error("--reason must be one line of 1-500 characters (the incident note).")
            : ValidationResult.Success();
    }
}
