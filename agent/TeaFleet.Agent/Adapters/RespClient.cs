using System.Net.Sockets;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// Our own RESP2 client (docs/adr/0012-redis-client.md): one TCP connection per use, commands sent as
/// arrays of bulk strings and answered in order. No background threads, no reconnect logic, no
/// reflection: a connection lives as long as one status read or one flush.
/// </summary>
public sealed class RespClient(TimeProvider time) : IRedisClient
{
    public async Task<IRedisConnection> ConnectAsync(RedisEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(endpoint.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no connection within {endpoint.Timeout.TotalSeconds:0.#} s");
            }

            return new RespConnection(socket, endpoint.Timeout, time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
