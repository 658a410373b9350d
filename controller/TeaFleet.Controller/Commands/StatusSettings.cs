using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class StatusSettings : FleetSettings
{
    [CommandArgument(0, "[ENV]")]
    [Description("Only this environment (default: all).")]
    public string? Environment { get; set; }
}
