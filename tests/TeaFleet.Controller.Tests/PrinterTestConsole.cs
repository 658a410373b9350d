using System.Text.Json;
using Spectre.Console.Testing;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>A wide test console and the printer output on it, as text lines or --json objects.</summary>
public sealed class PrinterTestConsole
{
    private readonly TestConsole _console = new();

    public PrinterTestConsole(bool json)
    {
        _console.Profile.Width = 400;
        Output = new CommandOutput(_console, json);
    }

    public CommandOutput Output { get; }

    public string[] Lines => _console.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();

    public List<JsonElement> JsonLines => Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
}
