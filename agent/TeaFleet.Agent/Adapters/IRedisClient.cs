namespace TeaFleet.Agent.Adapters;

/// <summary>
/// Opens connections to Redis for the handful of commands the queue capability sends (AUTH, SELECT,
/// PING, TYPE, the length commands, SCAN, UNLINK/DEL). A transport failure is a SocketException,
/// IOException or TimeoutException; a Redis error is a reply (RedisReply.IsError), not an exception.
/// </summary>
public interface IRedisClient
{
    Task<IRedisConnection> ConnectAsync(RedisEndpoint endpoint, CancellationToken cancellationToken);
}
