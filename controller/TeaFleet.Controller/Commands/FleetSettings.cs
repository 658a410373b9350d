using System.ComponentModel;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>Options every command has: the inventory and --json.</summary>
public abstract class FleetSettings : CommandSettings
{
    [CommandOption("-i|--inventory <FILE>")]
    [Description("The inventory (teafleet.yaml). Default: $TEAFLEET_INVENTORY, else ./teafleet.yaml.")]
    public string? Inventory { get; set; }

    [CommandOption("--json")]
    [Description("Machine-readable output: one JSON object per line on stdout (progress too).")]
    public bool Json { get; set; }

    protected static IReadOnlyList<string> SplitServices(string? services) =>
        string.IsNullOrWhiteSpace(services)
            ? []
            : services.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    protected static bool IsServiceName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(name[0]);
}
