namespace TeaFleet.Agent.Adapters;

/// <summary>One connection: commands in, replies out, one at a time. Broken after a transport failure.</summary>
public interface IRedisConnection : IAsyncDisposable
{
    Task<RedisReply> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken);
}
