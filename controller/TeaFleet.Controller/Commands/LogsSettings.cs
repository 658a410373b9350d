using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class LogsSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment.")]
    public string Environment { get; set; } = "";

    [CommandArgument(1, "<SERVICE>")]
    [Description("The Compose service (backend, worker, frontend...).")]
    public string Service { get; set; } = "";

    [CommandOption("--host <HOST>")]
    [Description("Only this host of ENV (default: every host).")]
    public string? Host { get; set; }

    [CommandOption("-n|--tail <N>")]
    [Description("How many of the last lines (default 100).")]
    [DefaultValue(100)]
    public int Tail { get; set; } = 100;

    [CommandOption("-f|--follow")]
    [Description("Keep streaming new lines until Ctrl+C.")]
    public bool Follow { get; set; }

    public override ValidationResult Validate() =>
        Tail is < 1 or > 10000 ? ValidationResult.Error("--tail must be between 1 and 10000.")
        : !IsServiceName(Service) ? ValidationResult.Error($"'{Service}' is not a service name.")
        : ValidationResult.Success();
}
