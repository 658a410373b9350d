using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class ResumeSettings : FleetSettings
{
    [CommandArgument(0, "<RUN_ID>")]
    [Description("The run to continue (see 'teafleet runs').")]
    public string RunId { get; set; } = "";

    [CommandOption("-y|--yes")]
    [Description("Confirm resuming a production run without asking.")]
    public bool Yes { get; set; }
}
