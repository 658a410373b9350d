using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Serilog;

namespace TeaFleet.Controller.Agents;

/// <summary>
/// Writes each unary call to an agent with how long it took into the controller's own log (Debug), so where a
/// command's time goes before and after its operations can be read afterwards ("Services/List on staging-1:
/// 38 ms, OK"), without a profiler and without a word on the operator's screen.
/// </summary>
internal sealed class CallTiming(string host) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(LogAsync(call.ResponseAsync, context.Method.FullName, started), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> LogAsync<TResponse>(Task<TResponse> response, string method, long started)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            Log.Debug("{Method} on {Host}: {Ms:0} ms, OK", method, host, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (RpcException e)
        {
            Log.Debug("{Method} on {Host}: {Ms:0} ms, {Status}", method, host, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.StatusCode);
            throw;
        }
    }
}
