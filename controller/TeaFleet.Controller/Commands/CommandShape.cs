using System.Reflection;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>A command's path (<c>plan rollback</c>) and what it accepts, read from its settings class.</summary>
public sealed record CommandShape(string Path, IReadOnlyList<CommandOptionAttribute> Options, IReadOnlyList<CommandArgumentAttribute> Arguments)
{
    public static CommandShape Of(string path, Type settingsType)
    {
        // Base class first, the global options (FleetSettings) last: the order --help shows them in.
        var chain = new List<Type>();
        for (var t = settingsType; t is not null && t != typeof(CommandSettings); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var ordered = chain.Where(t => t != typeof(FleetSettings)).Append(typeof(FleetSettings))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(p => p.MetadataToken))
            .ToList();
        return new CommandShape(
            path,
            ordered.Select(p => p.GetCustomAttribute<CommandOptionAttribute>()).OfType<CommandOptionAttribute>().Where(o => !o.IsHidden).ToList(),
            ordered.Select(p => p.GetCustomAttribute<CommandArgumentAttribute>()).OfType<CommandArgumentAttribute>().OrderBy(a => a.Position).ToList());
    }

    /// <summary>Every spelling of every option, with its dashes (<c>--services</c>, <c>-y</c>, <c>--yes</c>).</summary>
    public IEnumerable<string> OptionNames =>
        Options.SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n)));

    /// <summary>One option as --help writes it: <c>-y|--yes</c>, <c>--services LIST</c>.</summary>
    public static string Describe(CommandOptionAttribute option) =>
        string.Join('|', option.ShortNames.Select(n => "-" + n).Concat(option.LongNames.Select(n => "--" + n)))
        + (option.ValueName is { } value ? " " + value : "");
}
