using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class RepairLeftoversSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose database to clean of what a downgrade left behind.")]
    public string Environment { get; set; } = "";

    [CommandOption("--plan")]
    [Description("Print the plan and change nothing.")]
    public bool PlanOnly { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Confirm in production without asking.")]
    public bool Yes { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (incident note); recorded in the journal.")]
    public string? Reason { get; set; }
}
