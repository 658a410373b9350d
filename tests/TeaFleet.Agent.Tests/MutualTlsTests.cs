using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The agent's mutual TLS through real calls: Kestrel configured by Program from Agent:Tls, the
/// ClientCertificateValidator behind it, and a Grpc.Net client that trusts only the test CA.
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class MutualTlsTests(MutualTlsAgentFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_certificate_from_the_fleet_CA_gets_the_host_info_over_mutual_TLS()
    {
        using var operatorCertificate = fixture.Certificates.IssueOperator("alice");
        using var channel = fixture.Agent.CreateChannel(operatorCertificate);

        var info = await new Host.HostClient(channel).GetInfoAsync(new GetHostInfoRequest(), deadline: Deadline(), cancellationToken: Ct);

        Assert.Equal(InProcessAgent.HostName, info.HostName);
        Assert.Equal("alice", info.Caller);
        Assert.Equal(["backend", "worker", "frontend"], info.Services);
        // No Docker here: the agent still answers and says why Docker is missing.
        Assert.Contains("unreachable", info.DockerError);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused_because_it_does_not_chain_to_the_fleet_CA()
    {
        using var otherCa = new TestCertificates("Some other CA");
        using var stranger = otherCa.IssueOperator("mallory");

        await AssertRefusedAsync(stranger);

        var refusal = await RefusalLoggedForAsync("CN=mallory, OU=operator, O=TeaFleet");
        Assert.Contains(refusal.GetProperty("Status").GetString(), new[] { "PartialChain", "UntrustedRoot" });
    }

    [Fact]
    public async Task An_agent_certificate_used_as_a_client_is_refused_because_its_role_is_not_operator()
    {
        // Signed by the fleet CA and valid for client auth, but OU=agent: one agent may not drive another.
        using var agentCertificate = fixture.Certificates.IssueAgent("test-2", IPAddress.Loopback);

        await AssertRefusedAsync(agentCertificate);

        var refusal = await RefusalLoggedForAsync("CN=test-2, OU=agent, O=TeaFleet");
        Assert.Equal("agent", refusal.GetProperty("Role").GetString());
        Assert.Equal("operator", refusal.GetProperty("Required").GetString());
    }

    [Fact]
    public async Task An_expired_operator_certificate_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = fixture.Certificates.IssueOperator("bob-expired", now.AddDays(-3), now.AddDays(-1));

        await AssertRefusedAsync(expired);

        var refusal = await RefusalLoggedForAsync("CN=bob-expired, OU=operator, O=TeaFleet");
        Assert.Equal("NotTimeValid", refusal.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        await AssertRefusedAsync(null);
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);

    /// <summary>
    /// What a refused client sees today: TLS 1.3 lets the client finish its handshake before the
    /// agent has checked the client's certificate; the agent then closes the connection, so the
    /// client's HTTP/2 set-up fails. Grpc.Net.Client reports that as Unavailable, or as Internal
    /// when the close arrives before the socket read fails (both seen on the same machine).
    /// </summary>
    private async Task AssertRefusedAsync(X509Certificate2? clientCertificate)
    {
        using var channel = fixture.Agent.CreateChannel(clientCertificate);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Host.HostClient(channel).GetInfoAsync(new GetHostInfoRequest(), deadline: Deadline(), cancellationToken: Ct).ResponseAsync);

        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.IsType<HttpRequestException>(error.Status.DebugException);
        Assert.Contains("the server did not complete the HTTP/2 handshake", error.Status.Detail);
    }

    /// <summary>The agent's log entry (Serilog JSON) for the refusal of this certificate subject.</summary>
    private async Task<JsonElement> RefusalLoggedForAsync(string subject)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            foreach (var line in fixture.Agent.ReadLog().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (root.TryGetProperty("Subject", out var s) && s.GetString() == subject
                    && root.GetProperty("@mt").GetString()!.StartsWith("Refused a client certificate", StringComparison.Ordinal))
                {
                    Assert.Equal("Warning", root.GetProperty("@l").GetString());
                    return root.Clone();
                }
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"the agent logged no refusal of {subject}:\n{fixture.Agent.ReadLog()}");
        return default;
    }
}
