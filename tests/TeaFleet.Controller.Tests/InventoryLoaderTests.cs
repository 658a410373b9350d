using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

public sealed class InventoryLoaderTests
{
    [Fact]
    public void The_sample_inventory_loads_with_absolute_paths_and_the_drill_window()
    {
        using var dir = new TempDirectory();
        var inventory = InventoryLoader.Load(dir.File("teafleet.yaml", Samples.Inventory));

        Assert.Equal("team-evaluatie-app", inventory.App);
        Assert.Equal(System.IO.Path.Combine(dir.Path, "state"), inventory.StateDir);
        Assert.Equal(System.IO.Path.Combine(dir.Path, "pki", "ca.crt"), inventory.Certificates!.Ca);
        Assert.Equal(TimeSpan.FromHours(24), inventory.Drill.Window);
        var production = inventory.FindEnvironment("production")!;
        Assert.True(production.IsGated);
        Assert.False(inventory.FindEnvironment("staging")!.IsGated);
        Assert.Equal(["prod-1", "prod-2"], production.Hosts.Select(h => h.Name));
        Assert.Equal("staging", inventory.DrillSourceFor(production)!.Name);
        Assert.Equal([new Uri("http://10.77.0.22/health")], production.HealthUrlsOf(production.Hosts[1]));
        Assert.Single(inventory.Contacts);
        // No 'monitor:': the runbook's 10 minutes, a probe round every 5 s, one minute per host in a gradual allow.
        Assert.Equal(MonitorConfig.Default, production.Monitor);
        Assert.Equal(new Uri("http://10.77.0.21:7080/healthz"), production.Monitor.AgentHealthUrl(production.Hosts[0]));
    }

    [Fact]
    public void Monitor_sets_the_watch_and_off_turns_it_off()
    {
        using var dir = new TempDirectory();
        var text = Samples.Inventory.Replace("    hosts:\n      - name: staging-1", "    monitor: { window: off, host_window: 30s, error_lines: 0, agent_health_port: 0 }\n    hosts:\n      - name: staging-1", StringComparison.Ordinal);

        var staging = InventoryLoader.Load(dir.File("teafleet.yaml", text)).FindEnvironment("staging")!;

        Assert.Equal(MonitorConfig.Default with { Window = TimeSpan.Zero, HostWindow = TimeSpan.FromSeconds(30), ErrorLines = 0, AgentHealthPort = 0 }, staging.Monitor);
        Assert.Null(staging.Monitor.AgentHealthUrl(staging.Hosts[0]));
    }

    [Theory]
    [InlineData("window: 24h", "window: 24x", ":8:11:", "not a duration")]
    [InlineData("app: team-evaluatie-app", "app: team-evaluatie-app\nvesion: 2", ":2:1:", "unknown key 'vesion'")]
    [InlineData("      - name: prod-2", "      - name: prod-1", ":20:15:", "used twice")]
    [InlineData("address: https://10.77.0.22:7443", "address: not a url", ":21:18:", "not an agent address")]
    [InlineData("address: https://10.77.0.22:7443", "address: http://10.77.0.22:7443", ":21:18:", "only for 127.0.0.1")]
    [InlineData("app: team-evaluatie-app\n", "", ":1:1:", "missing 'app:'")]
    [InlineData("  staging:\n", "  staging:\n   bad: [\n", ":", "not valid YAML")]
    [InlineData("environments:\n", "environments:\n  staging: [unclosed\n", ":", "is not closed")]
    [InlineData("health_urls: [ \"http://10.77.0.21/health\"", "health_urls: [ \"ftp://x/health\"", ":16:20:", "not an absolute http(s) URL")]
    [InlineData("    hosts:\n      - name: staging-1\n        address: https://10.77.0.11:7443", "    hosts: staging-1", ":12:12:", "must be a list")]
    [InlineData("    health_urls: [ \"http://10.77.0.21/health\", \"http://10.77.0.22/health\" ]", "    health_urls: [ \"http://10.77.0.21/health\" ]\n    monitor: { window: 5s, interval: 10s }", ":17:38:", "longer than 'window'")]
    [InlineData("    health_urls: [ \"http://10.77.0.21/health\", \"http://10.77.0.22/health\" ]", "    health_urls: [ \"http://10.77.0.21/health\" ]\n    monitor: { error_lines: many }", ":17:29:", "'error_lines: many' is not a whole number from 0 to 100000")]
    [InlineData("    health_urls: [ \"http://10.77.0.21/health\", \"http://10.77.0.22/health\" ]", "    health_urls: [ \"http://10.77.0.21/health\" ]\n    monitor: { windw: 5m }", ":17:16:", "unknown key 'windw'")]
    public void A_malformed_inventory_names_file_line_and_column_and_what_to_write(string find, string replace, string position, string message)
    {
        using var dir = new TempDirectory();
        var text = Samples.Inventory.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Samples.Inventory, text);
        var path = dir.File("teafleet.yaml", text);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Load(path));

        Assert.StartsWith(path + position, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(System.IO.Path.Combine(dir.Path, "state")));
    }

    [Fact]
    public void A_missing_inventory_says_how_to_name_one()
    {
        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Load("/nonexistent/teafleet.yaml"));
        Assert.Contains("TEAFLEET_INVENTORY", error.Message, StringComparison.Ordinal);
    }
}
