using Grpc.Core;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// AgentOptionsValidator as an operator meets it: the real Program started with a configuration,
/// refusing to serve with the key to fix on stderr (and the same failures from the host's start-up
/// validation), or serving.
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class StartupValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plaintext_on_an_address_that_is_not_loopback_is_refused_at_start_up()
    {
        await using var agent = InProcessAgent.Insecure();
        // A documentation address (TEST-NET-1): never this machine's, so nothing could listen there anyway.
        agent.Settings["Agent:Listen:Address"] = "192.0.2.10";

        var failures = await AssertRefusedAsync(agent);

        Assert.Contains(failures, f => f.StartsWith("Agent:Listen:Insecure serves gRPC without TLS and is allowed only on a loopback address, not 192.0.2.10", StringComparison.Ordinal)
            && f.EndsWith("remove it and configure Agent:Tls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plaintext_on_the_loopback_address_is_allowed_and_serves()
    {
        await using var agent = InProcessAgent.Insecure();

        Assert.True(await agent.StartAsync(), agent.StartErrors);

        using var channel = agent.CreateChannel();
        var info = await new Host.HostClient(channel).GetInfoAsync(new GetHostInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: Ct);
        Assert.Equal(InProcessAgent.HostName, info.HostName);
        Assert.Equal("local", info.Caller);
    }

    [Fact]
    public async Task Missing_TLS_files_are_refused_at_start_up_naming_the_key_and_how_to_make_them()
    {
        using var certificates = new TestCertificates();
        await using var agent = InProcessAgent.WithTls(certificates);
        var missing = Path.Combine(agent.Dir, "nowhere", "test-1.crt");
        agent.Settings["Agent:Tls:Certificate"] = missing;
        agent.Settings.Remove("Agent:Tls:PrivateKey");

        var failures = await AssertRefusedAsync(agent);

        Assert.Contains($"Agent:Tls:Certificate '{missing}' does not exist; make the fleet's certificates with `teafleet certs init` and `teafleet certs agent test-1`", failures);
        Assert.Contains(failures, f => f.StartsWith("Agent:Tls:PrivateKey '' does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.StartsWith("Agent:Tls:CaCertificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_problem_in_the_configuration_is_reported_at_once_with_its_key()
    {
        await using var agent = InProcessAgent.Insecure();
        agent.Settings["Agent:Listen:HealthPort"] = agent.Settings["Agent:Listen:Port"];
        agent.Settings["Agent:App:ComposeFiles:0"] = "../other-app/compose.yml";
        agent.Settings["Agent:App:Services:1"] = "worker; rm -rf /";
        agent.Settings["Agent:Docker:Endpoint"] = "/var/run/docker.sock";

        var failures = await AssertRefusedAsync(agent);

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Agent:Listen:Port (1-65535) and Agent:Listen:HealthPort", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:App:ComposeFiles must list compose files relative to the checkout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:App:Services must list the Compose services", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Docker:Endpoint '/var/run/docker.sock' must be a unix:// or tcp:// URI", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rolling_service_without_a_proxy_ports_or_an_absolute_upstream_file_is_refused_naming_each_key()
    {
        await using var agent = InProcessAgent.Insecure();
        agent.Settings["Agent:App:Rolling:0:Service"] = agent.Settings["Agent:App:Services:0"];
        agent.Settings["Agent:App:Rolling:0:PortVariable"] = "PORT; rm -rf /";
        agent.Settings["Agent:App:Rolling:0:Ports:0"] = "8000";
        agent.Settings["Agent:App:Rolling:0:Proxy"] = "nginx-nobody-has";
        agent.Settings["Agent:App:Rolling:0:UpstreamFile"] = "upstreams/backend.conf";

        var failures = await AssertRefusedAsync(agent);

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Proxy 'nginx-nobody-has' must be another of Agent:App:Services", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PortVariable 'PORT; rm -rf /' must name the environment variable", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Ports [8000] must be its own port and the stand-in's", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("UpstreamFile 'upstreams/backend.conf' must be an absolute file path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_file_that_is_not_PEM_stops_the_start_with_the_reason()
    {
        using var certificates = new TestCertificates();
        await using var agent = InProcessAgent.WithTls(certificates);
        // The file exists, so the validator lets it through; Program reads it when it sets up Kestrel.
        File.WriteAllText(agent.Settings["Agent:Tls:Certificate"], "not a certificate\n");

        await Assert.ThrowsAsync<System.Security.Cryptography.CryptographicException>(agent.StartAsync);

        Assert.False(agent.Started);
        Assert.Contains("teafleet-agent: cannot start: The certificate contents do not contain a PEM", agent.StartErrors);
    }

    /// <summary>
    /// The agent must not serve: Program prints each failure under its heading on stderr (and exits
    /// with 2), and starting the host throws OptionsValidationException with the same failures.
    /// Returns the failures.
    /// </summary>
    private static async Task<IReadOnlyList<string>> AssertRefusedAsync(InProcessAgent agent)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(agent.StartAsync);

        Assert.False(agent.Started);
        Assert.Contains("teafleet-agent: the configuration is not valid:", agent.StartErrors);
        var printed = agent.StartErrors.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("  - ", StringComparison.Ordinal))
            .Select(l => l[4..])
            .ToList();
        Assert.Equal(error.Failures, printed);
        return printed;
    }
}
