namespace TeaFleet.Controller;

/// <summary>An error the operator can act on: a message, what to do next, and the exit code it maps to.</summary>
public class FleetException(int exitCode, string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public string? Hint { get; } = hint;

    public static FleetException BadInput(string message, string? hint = null) => new(ExitCodes.BadInput, message, hint);

    public static FleetException Refused(string message, string? hint = null) => new(ExitCodes.Refused, message, hint);

    public static FleetException Failed(string message, string? hint = null) => new(ExitCodes.OperationFailed, message, hint);
}
