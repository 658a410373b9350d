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
}
