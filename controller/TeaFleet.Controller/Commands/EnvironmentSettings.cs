using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class EnvironmentSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";
}
