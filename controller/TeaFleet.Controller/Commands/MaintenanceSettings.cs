using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>The options of 'maintenance ENV on|off': which hosts, plan only, confirmation, reason (kept with the page on each host too; its users never see it).</summary>
public sealed class MaintenanceSettings : HostRunSettings
{
    [CommandArgument(1, "<on|off>")]
    [Description("'on' puts the maintenance page up, 'off' takes it down (one host at a time, each host watched before the next).")]
    public string State { get; set; } = "";

    /// <summary>Whether the page goes up ('on') or down ('off').</summary>
    public bool On => State == "on";

    public override ValidationResult Validate()
    {
        var common = base.Validate();
        if (!common.Successful)
        {
            return common;
        }

        return State is "on" or "off"
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{State}' is neither 'on' nor 'off'. Write 'teafleet maintenance ENV on' to put the maintenance page up, 'teafleet maintenance ENV off' to take it down.");
    }
}
