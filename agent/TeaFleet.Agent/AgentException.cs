namespace TeaFleet.Agent;

/// <summary>A failure the caller can act on: its kind and a message that says what to do.</summary>
public sealed class AgentException(FailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    public static AgentException Invalid(string message) => new(FailureKind.Invalid, message);

    public static AgentException NotFound(string message) => new(FailureKind.NotFound, message);

    public static AgentException Precondition(string message) => new(FailureKind.Precondition, message);

    public static AgentException Busy(string message) => new(FailureKind.Busy, message);

    public static AgentException Unavailable(string message, Exception? inner = null) => new(FailureKind.Unavailable, message, inner);
}
