using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Agents;

/// <summary>
/// Follows a mutating operation's event stream to its final event. When the stream breaks it re-attaches
/// with Operations.Watch(operation_id, last sequence seen), with backoff; it never re-issues a mutation
/// blindly (only when the agent says it has no such operation, re-sending the same id is safe by contract).
/// </summary>
public sealed class OperationFollower(TimeProvider timeProvider)
{
    private static readonly TimeSpan[] Backoff =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2),
         TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)];

    /// <summary>Starts (or attaches to) an operation and follows it to its final event.</summary>
    public Task<OperationEvent> RunAsync(
        AgentConnection agent,
        string operationId,
        Func<CallOptions, AsyncServerStreamingCall<OperationEvent>> start,
        Func<OperationEvent, ValueTask> onEvent,
        Func<string, ValueTask>? onReattach,
        CancellationToken cancellationToken) =>
        FollowAsync(agent, operationId, start, 0, onEvent, onReattach, cancellationToken);

    /// <summary>Re-attaches to an existing operation from after <paramref name="afterSequence"/> and follows it to its end.</summary>
    public Task<OperationEvent> WatchAsync(
        AgentConnection agent,
        string operationId,
        long afterSequence,
        Func<OperationEvent, ValueTask> onEvent,
        Func<string, ValueTask>? onReattach,
        CancellationToken cancellationToken) =>
        FollowAsync(agent, operationId, null, afterSequence, onEvent, onReattach, cancellationToken);

    private async Task<OperationEvent> FollowAsync(
        AgentConnection agent,
        string operationId,
        Func<CallOptions, AsyncServerStreamingCall<OperationEvent>>? start,
        long afterSequence,
        Func<OperationEvent, ValueTask> onEvent,
        Func<string, ValueTask>? onReattach,
        CancellationToken cancellationToken)
    {
        var lastSequence = afterSequence;
        var failures = 0;
        var useStart = start is not null;
        var reissued = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Exception lastError;
            try
            {
                var options = agent.StreamOptions(cancellationToken);
                using var call = useStart
                    ? start!(options)
                    : agent.Operations.Watch(new WatchRequest { OperationId = operationId, AfterSequence = lastSequence }, options);
                await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (e.Sequence <= lastSequence)
                    {
                        continue;
                    }

                    lastSequence = e.Sequence;
                    failures = 0;
                    await onEvent(e).ConfigureAwait(false);
                    if (e.Final)
                    {
                        return e;
                    }
                }

                lastError = new IOException("the event stream ended before the operation's final event");
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("cancelled", e, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && !useStart && lastSequence == 0 && start is not null && !reissued)
            {
                // The agent never received the operation (the first call broke before it arrived):
                // sending the same operation id again is safe, it cannot run twice.
                reissued = true;
                useStart = true;
                continue;
            }
            catch (RpcException e) when (IsBrokenStream(e))
            {
                if (useStart && lastSequence == 0 && failures == 0 && IsConnectFailure(e))
                {
                    // Never connected: nothing was started.
                    throw agent.Translate(e);
                }

                lastError = e;
            }
            catch (RpcException e)
            {
                throw agent.Translate(e);
            }
            catch (IOException e)
            {
                lastError = e;
            }

            if (failures >= Backoff.Length)
            {
                throw lastError is RpcException rpc
                    ? agent.Translate(rpc)
                    : new AgentUnreachableException(agent.Host, $"lost the event stream of operation {operationId} and could not re-attach: {lastError.Message}");
            }

            Serilog.Log.Warning(lastError, "Stream of operation {OperationId} on {Host} broke after event {Sequence}; re-attaching", operationId, agent.Host.Name, lastSequence);
            if (onReattach is not null)
            {
                await onReattach($"stream of {operationId} broke after event {lastSequence} ({Describe(lastError)}); re-attaching in {Backoff[failures].TotalSeconds:0.##} s").ConfigureAwait(false);
            }

            await Task.Delay(Backoff[failures], timeProvider, cancellationToken).ConfigureAwait(false);
            failures++;
            useStart = false;
        }
    }

    private static bool IsBrokenStream(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown || AgentConnection.IsConnectTimeout(e);

    private static bool IsConnectFailure(RpcException e)
    {
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Exception? e) => e switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        null => "unknown",
        _ => e.Message,
    };
}
