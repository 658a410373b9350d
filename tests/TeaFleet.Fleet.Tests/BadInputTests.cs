namespace TeaFleet.Fleet.Tests;

/// <summary>Bad input gets a clear error that says what to do, and changes nothing.</summary>
public sealed class BadInputTests(FleetFixture fleet)
{
    private async Task AssertRefusedAndUnchangedAsync(int exitCode, string expected, string inventory, params string[] args)
    {
        var before = await fleet.Staging.ContainerIdsAsync();

        var result = await fleet.TeaFleetAsync(inventory, args);

        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}: {result}");
        Assert.Contains(expected, result.All, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await fleet.Staging.ContainerIdsAsync());
    }

    [Fact]
    public Task An_unknown_environment_is_refused_with_the_known_ones() =>
        AssertRefusedAndUnchangedAsync(2, "staging", fleet.NewInventory(), "rollback", "nowhere", "--yes");

    [Fact]
    public Task An_unknown_host_is_refused() =>
        AssertRefusedAndUnchangedAsync(2, "staging-1", fleet.NewInventory(), "watch", "no-such-host", "some-operation");

    [Fact]
    public Task An_unknown_service_is_refused_with_the_host_s_services() =>
        AssertRefusedAndUnchangedAsync(2, "backend", fleet.NewInventory(), "rollback", "staging", "--services", "nosuch", "--yes");

    [Fact]
    public Task An_unknown_commit_is_refused() =>
        AssertRefusedAndUnchangedAsync(2, "deadbeef", fleet.NewInventory(), "rollback", "staging", "--to", "deadbeef", "--yes");

    [Fact]
    public async Task A_malformed_inventory_is_refused_with_file_and_line()
    {
        var inventory = fleet.NewInventory(text => text.Replace("environments:", "environments:\n  staging: [unclosed", StringComparison.Ordinal));

        await AssertRefusedAndUnchangedAsync(2, Path.GetFileName(inventory) + ":", inventory, "status");
    }

    [Fact]
    public async Task An_unreachable_agent_is_reported_as_such()
    {
        var inventory = fleet.NewInventory(text => text.Replace("https://10.77.0.11:7443", "https://127.0.0.1:9", StringComparison.Ordinal));

        await AssertRefusedAndUnchangedAsync(3, "unreachable", inventory, "status", "staging");
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused()
    {
        var otherPki = Directory.CreateTempSubdirectory("teafleet-other-ca-").FullName;
        await Processes.CheckedAsync(fleet.Cli, "certs", "init", "--dir", otherPki, "-i", fleet.NewInventory());
        var inventory = fleet.NewInventory(text => text
            .Replace(Path.Combine(fleet.SandboxRoot, "pki", "operator.crt"), Path.Combine(otherPki, "operator.crt"), StringComparison.Ordinal)
            .Replace(Path.Combine(fleet.SandboxRoot, "pki", "operator.key"), Path.Combine(otherPki, "operator.key"), StringComparison.Ordinal));

        await AssertRefusedAndUnchangedAsync(3, "staging-1", inventory, "status", "staging");
    }
}
