using Grpc.Core;

namespace TeaFleet.Agent;

/// <summary>A failure the caller can act on: its status code and a message that says what to do.</summary>
public sealed class AgentException(StatusCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public StatusCode Code { get; } = code;

    public static AgentException Invalid(string message) => new(StatusCode.InvalidArgument, message);

    public static AgentException NotFound(string message) => new(StatusCode.NotFound, message);

    public static AgentException Precondition(string message) => new(StatusCode.FailedPrecondition, message);

    public static AgentException Unavailable(string message, Exception? inner = null) => new(StatusCode.Unavailable, message, inner);
}
