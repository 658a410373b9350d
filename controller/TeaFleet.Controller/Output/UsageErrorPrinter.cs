namespace TeaFleet.Controller.Output;

/// <summary>
/// What goes to stderr when Spectre itself fails before a command runs (bad arguments: exit 2) or a bug
/// escapes a command (exit 1, the details in the log file); a command's own errors go through <see cref="CommandOutput.Error"/>.
/// </summary>
public static class UsageErrorPrinter
{
    /// <param name="error">Where to write (stderr).</param>
    /// <param name="exception">The failure.</param>
    /// <param name="logFile">The log file with the stack trace; null for a usage error.</param>
    public static void Print(TextWriter error, Exception exception, string? logFile)
    {
        error.WriteLine(logFile is null
            ? $"error: {exception.Message}"
            : $"error: {exception.GetType().Name}: {exception.Message} (details in {logFile})");
        error.WriteLine("Run 'teafleet --help' or 'teafleet COMMAND --help'. " + ExitCodes.Help);
    }

    /// <summary>A usage error (exit 2): the message, then where the command's help is.</summary>
    /// <param name="error">Where to write (stderr).</param>
    /// <param name="message">What was wrong, naming the option or argument.</param>
    /// <param name="command">The command meant (<c>plan rollback</c>); null when it is not known.</param>
    public static void PrintUsage(TextWriter error, string message, string? command)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine((command is null ? "Run 'teafleet --help' or 'teafleet COMMAND --help'. " : $"Run 'teafleet {command} --help' for its arguments and options. ") + ExitCodes.Help);
    }
}
