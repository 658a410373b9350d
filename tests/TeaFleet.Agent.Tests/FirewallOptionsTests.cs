using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Tests;

/// <summary>Agent:Firewall through the agent's own registration: defaults, a list that replaces them, and start-up validation.</summary>
public sealed class FirewallOptionsTests
{
    private static AgentOptions Bind(Dictionary<string, string?> firewall)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agent:HostName"] = "test-1",
            ["Agent:StateDir"] = "/tmp/teafleet-firewall-options",
            ["Agent:Listen:Insecure"] = "true",
            ["Agent:App:Services:0"] = "backend",
            ["Agent:App:ComposeCommand:0"] = "docker-compose",
            ["Agent:App:ComposeFiles:0"] = "compose.yml",
        };
        foreach (var (key, value) in firewall)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddAgent();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AgentOptions>>().Value;
    }

    [Fact]
    public void Without_the_section_the_public_ports_are_80_and_443_over_tcp_and_ufw_is_found_on_PATH()
    {
        var firewall = Bind([]).Firewall;

        Assert.Equal([80, 443], firewall.PublicPorts);
        Assert.Equal(["ufw"], firewall.UfwCommand);
        Assert.Equal("tcp", firewall.Protocol);
    }

    [Fact]
    public void Configured_ports_and_command_replace_the_defaults()
    {
        var firewall = Bind(new() { ["Agent:Firewall:Ports:0"] = "8443", ["Agent:Firewall:Command:0"] = "/usr/sbin/ufw" }).Firewall;

        Assert.Equal([8443], firewall.PublicPorts);
        Assert.Equal(["/usr/sbin/ufw"], firewall.UfwCommand);
    }

    [Theory]
    [InlineData("Agent:Firewall:Ports:0", "0", "Agent:Firewall:Ports [0] must be distinct ports 1-65535")]
    [InlineData("Agent:Firewall:Ports:0", "65536", "Agent:Firewall:Ports [65536] must be distinct ports 1-65535")]
    [InlineData("Agent:Firewall:Protocol", "icmp", "Agent:Firewall:Protocol 'icmp' must be \"tcp\" or \"udp\"")]
    [InlineData("Agent:Firewall:Command:0", " ", "Agent:Firewall:Command must be the ufw program")]
    public void A_bad_setting_stops_the_start_naming_its_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_port_given_twice_stops_the_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Agent:Firewall:Ports:0"] = "80", ["Agent:Firewall:Ports:1"] = "80" }));

        Assert.Contains(error.Failures, f => f.StartsWith("Agent:Firewall:Ports [80, 80] must be distinct", StringComparison.Ordinal));
    }
}
