using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// The commands as registered (path and settings class), so a usage error can name the command's own
/// options and arguments: Spectre's parse error says what it did not understand, not for which command.
/// </summary>
public sealed class CommandCatalog
{
    private readonly Dictionary<string, CommandShape> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<CommandShape> Commands => _commands.Values;

    public void Add<TCommand>(string path)
        where TCommand : ICommand
    {
        var settings = typeof(TCommand).GetInterfaces()
            .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>))
            .GetGenericArguments()[0];
        _commands.Add(path, CommandShape.Of(path, settings));
    }

    /// <summary>The command a command line names (its first one or two words), or null.</summary>
    public CommandShape? Find(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        for (var i = 0; i < args.Count && words.Count < 2; i++)
        {
            if (args[i] is "-i" or "--inventory")
            {
                i++;
            }
            else if (!args[i].StartsWith('-'))
            {
                words.Add(args[i]);
            }
            else if (words.Count > 0)
            {
                break;
            }
        }

        return words.Count == 2 && _commands.TryGetValue(words[0] + " " + words[1], out var two) ? two
            : words.Count >= 1 && _commands.TryGetValue(words[0], out var one) ? one
            : null;
    }

}
