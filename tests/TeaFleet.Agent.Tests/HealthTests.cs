using System.Net;
using System.Text.Json;
using Grpc.Health.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>What a monitor sees of an agent on a host whose Docker does not answer: both health surfaces say so.</summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class HealthTests(MutualTlsAgentFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Grpc_health_says_not_serving_while_Docker_does_not_answer()
    {
        using var operatorCertificate = fixture.Certificates.IssueOperator("alice");
        using var channel = fixture.Agent.CreateChannel(operatorCertificate);

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
    }

    [Fact]
    public async Task Healthz_on_the_plain_health_port_is_503_naming_Docker_as_the_reason()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{fixture.Agent.HealthPort}/healthz"), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(InProcessAgent.HostName, body.RootElement.GetProperty("host").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("state_dir").GetString());
        var docker = body.RootElement.GetProperty("docker").GetString()!;
        Assert.StartsWith("error: Docker at unix://", docker);
        Assert.Contains("check that dockerd runs on this host", docker);
    }
}
