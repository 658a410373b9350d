using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>Which release a service's container runs (Services.List's release): label, then the ledger, then a commit tag.</summary>
public sealed class RunningReleaseTests
{
    private static readonly string A = new('a', 40);
    private static readonly string B = new('b', 40);
    private static readonly string C = new('c', 40);

    [Fact]
    public void The_image_label_wins_when_present()
    {
        var ledger = new[] { Switch(2, B, ("api", "kiosk-api:" + B)) };

        Assert.Equal((A, "label"), RunningRelease.Of("api", "kiosk-api:" + B, A, ledger));
    }

    [Fact]
    public void Without_a_label_the_newest_ledger_release_that_recorded_the_image_for_the_service_names_it()
    {
        var agent = new TestAgent();
        Succeed(agent, A, ("api", "kiosk-api:1.1.0"), ("dashboard", "nginx:1.25"));
        Succeed(agent, B, ("api", "kiosk-api:1.2.0"), ("dashboard", "nginx:1.25"));
        // A failed switch still created the container from its image: that is what runs.
        var failed = agent.Ledger.Begin(new Release { Commit = C, Kind = "deploy" });
        agent.Ledger.Finish(failed.Id, ReleaseResult.Failed, "verify failed", r => r with { Images = new Dictionary<string, string> { ["api"] = "kiosk-api:1.3.0" } });
        var releases = agent.Ledger.List(int.MaxValue);

        Assert.Equal((A, "ledger"), RunningRelease.Of("api", "kiosk-api:1.1.0", "", releases));
        Assert.Equal((C, "ledger"), RunningRelease.Of("api", "kiosk-api:1.3.0", "", releases));
        // A fixed tag several releases share: the newest one that switched it.
        Assert.Equal((B, "ledger"), RunningRelease.Of("dashboard", "docker.io/library/nginx:1.25", "", releases));
        // Recorded for another service only: not evidence for this one.
        Assert.Equal(("", ""), RunningRelease.Of("worker", "kiosk-api:1.1.0", "", releases));
    }

    [Fact]
    public void A_tag_that_is_a_full_commit_names_the_release_when_the_ledger_has_none()
    {
        Assert.Equal((A, "tag"), RunningRelease.Of("api", "kiosk-api:" + A.ToUpperInvariant(), "", []));
        Assert.Equal((A, "tag"), RunningRelease.Of("api", "registry.local:5000/kiosk-api:" + A, "", []));
        Assert.Equal(("", ""), RunningRelease.Of("api", "kiosk-api:aaaaaaa", "", []));
        Assert.Equal(("", ""), RunningRelease.Of("api", "kiosk-api", "", []));
        Assert.Equal(("", ""), RunningRelease.Of("api", "", "", []));
    }

    [Fact]
    public void Image_references_compare_as_docker_means_them()
    {
        Assert.Equal("nginx:latest", RunningRelease.Normalise("nginx"));
        Assert.Equal("nginx:latest", RunningRelease.Normalise("docker.io/library/nginx:latest"));
        Assert.Equal("registry.local:5000/kiosk-api:latest", RunningRelease.Normalise("registry.local:5000/kiosk-api"));
        Assert.Equal("kiosk-api@sha256:00", RunningRelease.Normalise("kiosk-api@sha256:00"));
    }

    private static void Succeed(TestAgent agent, string commit, params (string Service, string Image)[] images)
    {
        var release = agent.Ledger.Begin(new Release { Commit = commit, Kind = "deploy" });
        agent.Ledger.Finish(release.Id, ReleaseResult.Succeeded, "ok", r => r with { Images = images.ToDictionary(i => i.Service, i => i.Image) });
    }

    private static Release Switch(long id, string commit, params (string Service, string Image)[] images) =>
        new() { Id = id, Commit = commit, Result = ReleaseResult.Succeeded, Images = images.ToDictionary(i => i.Service, i => i.Image) };
}
