using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeaFleet.Agent.Grpc;

namespace TeaFleet.Agent.Tests;

/// <summary>Every gRPC service the capabilities map can be built from what they register (gRPC builds them per call, so a gap would only show on a host).</summary>
public sealed class CapabilityRegistrationTests
{
    [Theory]
    [InlineData(typeof(HostService))]
    [InlineData(typeof(OperationsService))]
    [InlineData(typeof(LeasesService))]
    [InlineData(typeof(ServicesService))]
    [InlineData(typeof(SourceService))]
    [InlineData(typeof(ReleasesService))]
    [InlineData(typeof(DatabaseService))]
    [InlineData(typeof(MigrationsService))]
    [InlineData(typeof(FirewallService))]
    [InlineData(typeof(QueueService))]
    [InlineData(typeof(MaintenanceService))]
    [InlineData(typeof(ForensicsService))]
    public async Task Each_capabilitys_grpc_service_resolves_from_the_agents_registrations(Type serviceType)
    {
        var stateDir = Directory.CreateTempSubdirectory("teafleet-agent-di-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:HostName"] = "test-1",
            ["Agent:StateDir"] = stateDir,
            ["Agent:Listen:Address"] = "127.0.0.1",
            ["Agent:Listen:Insecure"] = "true",
            ["Agent:App:Services:0"] = "backend",
            ["Agent:App:ComposeCommand:0"] = "docker-compose",
            ["Agent:App:ComposeFiles:0"] = "compose.yml",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddAgent();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });

        var service = ActivatorUtilities.CreateInstance(provider, serviceType);

        Assert.IsType(serviceType, service);
    }
}
