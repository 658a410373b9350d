using Grpc.Core;
using Grpc.Core.Interceptors;

namespace TeaFleet.Agent.Grpc;

/// <summary>Turns domain exceptions into gRPC status codes with their message; anything else becomes Internal, logged.</summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case AgentException agent:
                var code = CodeOf(agent.Kind);
                logger.LogInformation("{Method} refused: {Code} {Message}", context.Method, code, agent.Message);
                return new RpcException(new Status(code, agent.Message));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            default:
                logger.LogError(ex, "{Method} failed", context.Method);
                return new RpcException(new Status(StatusCode.Internal, $"the agent failed: {ex.Message}; see the agent's log"));
        }
    }

    /// <summary>The one place a failure kind becomes a gRPC status code (docs/contract.md's table).</summary>
    public static StatusCode CodeOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCode.InvalidArgument,
        FailureKind.NotFound => StatusCode.NotFound,
        FailureKind.Precondition => StatusCode.FailedPrecondition,
        FailureKind.Busy => StatusCode.Aborted,
        FailureKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
