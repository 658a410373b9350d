namespace TeaFleet.Agent.Adapters;

/// <summary>Where a Redis connection goes and how long it may wait (connect, and each command). The password is never part of its text.</summary>
public sealed record RedisEndpoint(string Host, int Port, TimeSpan Timeout)
{
    public override string ToString() => $"{Host}:{Port}";
}
