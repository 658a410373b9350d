using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Output;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Tests;

/// <summary>`status` prints each service's release as tag and short commit, and a host whose services run several commits as mixed.</summary>
public sealed class StatusReleaseTests
{
    private static readonly HostConfig Kiosk1 = new("kiosk-1", new Uri("https://10.77.0.31:7443"), "kiosk");

    private static HostStatus Host(params ServiceStatus[] services) =>
        new(Kiosk1, new GetHostInfoResponse { AgentVersion = "1.5.0", DockerVersion = "27.3.1" }, services, null, 0);

    private static ServiceStatus Service(string name, string commit, params string[] tags)
    {
        var s = new ServiceStatus { Name = name, Release = commit, State = "running", Health = "healthy", ContainerId = "c0ffee" + name, ReleaseSource = commit.Length > 0 ? "ledger" : "" };
        s.ReleaseTags.Add(tags);
        return s;
    }

    [Fact]
    public void Each_service_shows_its_tag_and_short_commit_and_the_host_what_it_runs()
    {
        var console = new PrinterTestConsole(json: false);

        StatusPrinter.Print(console.Output, [Host(Service("api", Samples.C2, "1.1.0"), Service("worker", Samples.C2, "1.1.0"), Service("db", ""))]);

        var c2 = GitRefs.Short(Samples.C2);
        Assert.EndsWith($", unlocked, runs 1.1.0 ({c2})", console.Lines[0], StringComparison.Ordinal);
        Assert.Equal(["api", $"1.1.0 ({c2})", "running", "healthy", "c0ffeeapi"], Row(console, "api"));
        Assert.Equal("-", Row(console, "db")[1]);
    }

    [Fact]
    public void A_host_whose_services_run_different_commits_is_shown_as_mixed()
    {
        var text = new PrinterTestConsole(json: false);
        var json = new PrinterTestConsole(json: true);
        var host = Host(Service("api", Samples.C1, "1.0.0"), Service("worker", Samples.C2, "1.1.0"));

        StatusPrinter.Print(text.Output, [host]);
        StatusPrinter.Print(json.Output, [host]);

        Assert.EndsWith($", mixed: 1.0.0 ({GitRefs.Short(Samples.C1)}), 1.1.0 ({GitRefs.Short(Samples.C2)})", text.Lines[0], StringComparison.Ordinal);
        var line = json.JsonLines[0];
        Assert.True(line.GetProperty("mixed").GetBoolean());
        Assert.Equal([Samples.C1, Samples.C2], line.GetProperty("releases").EnumerateArray().Select(e => e.GetString()));
        var api = line.GetProperty("services").EnumerateArray().First();
        Assert.Equal(["1.0.0"], api.GetProperty("release_tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ledger", api.GetProperty("release_source").GetString());
    }

    /// <summary>The demo's prod-1 after a rollback: db and redis keep the release they were created at, as no switch recreates them.</summary>
    [Fact]
    public void Data_services_created_at_an_older_release_do_not_make_a_host_mixed()
    {
        var console = new PrinterTestConsole(json: false);
        var db = Service("db", Samples.C1, "1.0.0");
        db.DataService = true;

        StatusPrinter.Print(console.Output, [Host(Service("api", Samples.C2, "1.1.0"), Service("worker", Samples.C2, "1.1.0"), db)]);

        Assert.EndsWith($", unlocked, runs 1.1.0 ({GitRefs.Short(Samples.C2)})", console.Lines[0], StringComparison.Ordinal);
        Assert.Equal($"1.0.0 ({GitRefs.Short(Samples.C1)})", Row(console, "db")[1]);
    }

    private static string[] Row(PrinterTestConsole console, string service) =>
        Assert.Single(console.Lines, l => l.TrimStart().StartsWith(service + " ", StringComparison.Ordinal))
            .Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
