using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class DiagnoseSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandOption("--queue-wait <SECONDS>")]
    [Description("Seconds between the two reads of the job queues that tell whether they grow (0: one read). Default 5.")]
    public int QueueWait { get; set; } = 5;

    public override ValidationResult Validate() =>
        QueueWait is < 0 or > 600
            ? ValidationResult.Error($"--queue-wait {QueueWait} is not from 0 to 600 seconds. Write e.g. --queue-wait 5, or 0 for one read.")
            : base.Validate();
}
