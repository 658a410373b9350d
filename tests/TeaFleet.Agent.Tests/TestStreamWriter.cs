using Grpc.Core;

namespace TeaFleet.Agent.Tests;

/// <summary>Collects what a streaming service method writes.</summary>
internal sealed class TestStreamWriter<T> : IServerStreamWriter<T>
{
    public List<T> Written { get; } = [];

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message)
    {
        Written.Add(message);
        return Task.CompletedTask;
    }
}
