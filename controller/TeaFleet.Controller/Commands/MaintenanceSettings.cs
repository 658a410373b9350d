using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>The options of 'maintenance ENV on|off': which hosts, plan only, confirmation, reason.</summary>
public sealed class MaintenanceSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandArgument(1, "<on|off>")]
    [Description("'on' puts the maintenance page up, 'off' takes it down (one host at a time, each host watched before the next).")]
    public string State { get; set; } = "";

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
    [Description("Why (incident note); recorded in the journal, the report and, for 'on', with the page on each host (its users never see it).")]
    public string? Reason { get; set; }

    /// <summary>Whether the page goes up ('on') or down ('off').</summary>
    public bool On => State == "on";

    /// <summary>The --hosts names; none when it was left out.</summary>
    public IReadOnlyList<string> HostNames => SplitServices(Hosts);

    public override ValidationResult Validate()
    {
        var hosts = ValidateList(Hosts, "--hosts", "host", "every host of ENV", IsServiceName, "letters, digits, '-', '_', '.'");
        if (!hosts.Successful)
        {
            return hosts;
        }

        if (State is not ("on" or "off"))
        {
            return ValidationResult.Error($"'{State}' is neither 'on' nor 'off'. Write 'teafleet maintenance ENV on' to put the maintenance page up, 'teafleet maintenance ENV off' to take it down.");
        }

        if (Reason is { } reason && (reason.Trim().Length == 0 || reason.Length > 500 || reason.Any(char.IsControl)))
        {
            return ValidationResult.Error("--reason must be one line of 1-500 characters (the incident note).");
        }

        return ValidationResult.Success();
    }
}
