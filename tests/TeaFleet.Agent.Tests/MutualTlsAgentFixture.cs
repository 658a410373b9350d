namespace TeaFleet.Agent.Tests;

/// <summary>One agent serving over mutual TLS with a test CA's certificates, shared by the tests of the in-process collection that only call it.</summary>
public sealed class MutualTlsAgentFixture : IAsyncLifetime
{
    private InProcessAgent? _agent;

    internal TestCertificates Certificates { get; } = new();

    internal InProcessAgent Agent => _agent ?? throw new InvalidOperationException("the agent was not started");

    public async ValueTask InitializeAsync()
    {
        _agent = InProcessAgent.WithTls(Certificates);
        _agent.UseHealthPort();
        if (!await _agent.StartAsync())
        {
            throw new InvalidOperationException("the in-process agent did not start: " + _agent.StartErrors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        Certificates.Dispose();
    }
}
