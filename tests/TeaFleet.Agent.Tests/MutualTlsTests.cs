using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

[Collection(InProcessAgentCollection.Name)]
public sealed class MutualTlsTests(MutualTlsAgentFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_certificate_from_the_fleet_CA_gets_the_host_info_over_mutual_TLS()
    {
        using var operatorCertificate = fixture.Certificates.IssueOperator("alice");
        using var channel = fixture.Agent.CreateChannel(operatorCertificate);

        var info = await new Host.HostClient(channel).GetInfoAsync(new GetHostInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: Ct);

        Assert.Equal(InProcessAgent.HostName, info.HostName);
        Assert.Equal("alice", info.Caller);
        Assert.Equal(["backend", "worker", "frontend"], info.Services);
        Assert.Contains("unreachable", info.DockerError);
    }
}
