using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// Turns Spectre's parse and validation errors into a message about the command that was meant: an unknown
/// option is named with the closest valid spelling of that command (else its options), an extra argument
/// with the arguments the command takes.
/// </summary>
public static partial class UsageErrors
{
    /// <returns>The message, and the command path for the help line (null: the command is not known).</returns>
    public static (string Message, string? Command) Describe(CommandAppException error, IReadOnlyList<string> args, CommandCatalog catalog)
    {
        var command = catalog.Find(args);
        if (error is not CommandParseException)
        {
            return (error.Message, command?.Path);
        }

        if (command is not null && UnknownOption().Match(error.Message) is { Success: true } option)
        {
            return (UnknownOptionMessage(command, Spelled(option.Groups[1].Value, args)), command.Path);
        }

        var extra = CouldNotMatch().Match(error.Message);
        var unknownCommand = UnknownCommand().Match(error.Message);
        if (command is not null && (extra.Success || unknownCommand.Success))
        {
            var value = (extra.Success ? extra : unknownCommand).Groups[1].Value;
            var takes = command.Arguments.Count == 0
                ? "takes no arguments"
                : $"takes {command.Arguments.Count} argument{(command.Arguments.Count == 1 ? "" : "s")} ({string.Join(' ', command.Arguments.Select(a => a.ValueName))})";
            return ($"{command.Path} {takes}: '{value}' is one too many.", command.Path);
        }

        if (unknownCommand.Success)
        {
            var typed = unknownCommand.Groups[1].Value;
            var branch = args.FirstOrDefault() is { } first && first != typed ? first + " " : "";
            var candidates = catalog.Commands.Select(c => c.Path)
                .Where(p => branch.Length == 0 || p.StartsWith(branch, StringComparison.Ordinal))
                .Select(p => branch.Length == 0 ? p.Split(' ')[0] : p[branch.Length..])
                .Distinct(StringComparer.Ordinal);
            return Spelling.Closest(typed, candidates) is { } closest
                ? ($"unknown command '{branch}{typed}'; did you mean '{branch}{closest}'?", null)
                : ($"unknown command '{branch}{typed}'.", null);
        }

        return (error.Message, command?.Path);
    }

    private static string UnknownOptionMessage(CommandShape command, string typed)
    {
        var closest = Spelling.Closest(typed.TrimStart('-'), command.Options.SelectMany(o => o.LongNames));
        return closest is not null
            ? $"{command.Path} has no option '{typed}'; did you mean '--{closest}'?"
            : $"{command.Path} has no option '{typed}'. Its options: {string.Join(", ", command.Options.Select(CommandShape.Describe))}.";
    }

    /// <summary>The option as typed (Spectre's message drops the dashes): --name, else -n.</summary>
    private static string Spelled(string name, IReadOnlyList<string> args) =>
        args.Any(a => a == "--" + name || a.StartsWith("--" + name + "=", StringComparison.Ordinal) || a.StartsWith("--" + name + ":", StringComparison.Ordinal))
            ? "--" + name
            : "-" + name;

    [GeneratedRegex(@"^Unknown option '(.+)'\.$")]
    private static partial Regex UnknownOption();

    [GeneratedRegex(@"^Could not match '(.*)' with an argument\.$")]
    private static partial Regex CouldNotMatch();

    [GeneratedRegex(@"^Unknown command '(.*)'\.$")]
    private static partial Regex UnknownCommand();
}
