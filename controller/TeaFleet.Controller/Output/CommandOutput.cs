using System.Text.Json;
using Spectre.Console;
using TeaFleet.Controller.Engine;

namespace TeaFleet.Controller.Output;

/// <summary>
/// Everything a command prints goes through here: human text via Spectre.Console, or with --json one JSON
/// object per line, written raw (no wrapping) to stdout. Logs never come here.
/// </summary>
public sealed class CommandOutput(IAnsiConsole console, bool json)
{
    public IAnsiConsole Console => console;

    public bool IsJson => json;

    /// <summary>Live progress only on a real, interactive terminal and never with --json.</summary>
    public bool IsLive => !json && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi && !System.Console.IsOutputRedirected;

    /// <summary>Confirmation prompts are possible (terminal on both ends, not --json).</summary>
    public bool CanPrompt => !json && console.Profile.Capabilities.Interactive && !System.Console.IsInputRedirected;

    /// <summary>One JSON object on its own line (only with --json).</summary>
    public void Json(object value)
    {
        if (!json)
        {
            return;
        }

        var line = JsonSerializer.Serialize(value, value.GetType(), JournalJson.Options);
        var writer = console.Profile.Out.Writer;
        lock (console)
        {
            writer.Write(line);
            writer.Write('\n');
            writer.Flush();
        }
    }

    /// <summary>A line of human output (ignored with --json).</summary>
    public void Line(string text)
    {
        if (!json)
        {
            lock (console)
            {
                console.MarkupLine(text);
            }
        }
    }

    public void Plain(string text)
    {
        if (!json)
        {
            lock (console)
            {
                console.WriteLine(text);
            }
        }
    }

    public void Error(string message, string? hint, int exitCode)
    {
        if (json)
        {
            Json(new { type = "error", exit_code = exitCode, message, hint });
            return;
        }

        lock (console)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
            if (hint is not null)
            {
                console.MarkupLine($"[grey]{Markup.Escape(hint)}[/]");
            }
        }
    }

    public static string Esc(string? text) => Markup.Escape(text ?? "");
}
