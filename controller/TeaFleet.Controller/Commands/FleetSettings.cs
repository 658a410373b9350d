using System.ComponentModel;
using Spectre.Console;
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

    /// <summary>The names of a --services list (refused by <see cref="ValidateServices"/> when empty or with an empty item); none when it was left out.</summary>
    protected static IReadOnlyList<string> SplitServices(string? services) =>
        string.IsNullOrWhiteSpace(services)
            ? []
            : services.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A --services list names at least one service and has no empty item: '' or ',' is an error, never
    /// "all services" (leaving the option out means that).
    /// </summary>
    protected static ValidationResult ValidateServices(string? services) =>
        ValidateList(services, "--services", "service", "all release services", IsServiceName, "letters, digits, '-', '_', '.'");

    /// <summary>Every comma-separated option goes through here: null (left out) is fine; an empty value or item, or a bad name, is refused.</summary>
    /// <param name="value">The option's value as typed; null when left out.</param>
    /// <param name="option">The option (--services).</param>
    /// <param name="item">What one item is (service).</param>
    /// <param name="whenLeftOut">What leaving the option out means (all release services).</param>
    /// <param name="isValid">Whether one item is well-formed.</param>
    /// <param name="validItem">What a well-formed item is made of, for the message.</param>
    protected static ValidationResult ValidateList(string? value, string option, string item, string whenLeftOut, Func<string, bool> isValid, string validItem)
    {
        if (value is null)
        {
            return ValidationResult.Success();
        }

        var items = value.Split(',', StringSplitOptions.TrimEntries);
        if (items.All(i => i.Length == 0))
        {
            return ValidationResult.Error($"{option} '{value}' names no {item}: name at least one {item} ({option} a,b), or leave out {option} for {whenLeftOut}.");
        }

        if (items.Any(i => i.Length == 0))
        {
            return ValidationResult.Error($"{option} '{value}' has an empty {item} name: separate the names with single commas ({option} a,b), no leading, trailing or double comma.");
        }

        return items.FirstOrDefault(i => !isValid(i)) is { } bad
            ? ValidationResult.Error($"{option}: '{bad}' is not a {item} name ({validItem}).")
            : ValidationResult.Success();
    }

    protected static bool IsServiceName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(name[0]);
}
