using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Tests;

/// <summary>The git adapter against a real repository made with the real git.</summary>
public sealed class GitRepositoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("teafleet-git-").FullName;
    private readonly GitRepository _git;

    public GitRepositoryTests()
    {
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "t@teafleet.invalid");
        Git("config", "user.name", "Test");
        for (var i = 1; i <= 3; i++)
        {
            File.WriteAllText(Path.Combine(_dir, "release.txt"), $"v{i}\n");
            Git("add", "release.txt");
            Git("commit", "-q", "-m", $"release v{i}");
            Git("tag", $"v{i}");
        }

        var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions { App = new AppOptions { CheckoutDir = _dir } });
        _git = new GitRepository(new ProcessRunner(NullLogger<ProcessRunner>.Instance), options);
    }

    [Fact]
    public async Task A_tag_resolves_to_its_full_commit_and_checkout_moves_head_there()
    {
        var ct = TestContext.Current.CancellationToken;
        var v1 = await _git.ResolveAsync("v1", ct);

        await _git.CheckoutAsync(v1!, _ => { }, ct);

        Assert.Equal(v1, await _git.HeadAsync(ct));
        Assert.Equal("v1\n", File.ReadAllText(Path.Combine(_dir, "release.txt")));
        Assert.Equal(["v1"], await _git.TagsAtAsync(v1!, ct));
    }

    [Fact]
    public async Task An_unknown_commit_resolves_to_nothing_and_an_option_like_ref_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await _git.ResolveAsync("deadbeef", ct));
        var error = await Assert.ThrowsAsync<AgentException>(() => _git.ResolveAsync("--output=/tmp/x", ct));
        Assert.Equal(StatusCode.InvalidArgument, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(error.Kind));
    }

    [Fact]
    public async Task The_log_lists_commits_with_times_and_tags_and_a_tracked_change_makes_the_checkout_dirty()
    {
        var ct = TestContext.Current.CancellationToken;

        var log = await _git.LogAsync(10, null, null, null, ct);
        File.WriteAllText(Path.Combine(_dir, "release.txt"), "edited\n");
        File.WriteAllText(Path.Combine(_dir, ".env"), "UNTRACKED=1\n");

        Assert.Equal(["release v3", "release v2", "release v1"], log.Select(c => c.Subject));
        Assert.Contains("v3", log[0].Tags);
        Assert.All(log, c => Assert.True(c.Time > DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal(["M release.txt"], await _git.ChangesAsync(ct));
    }

    [Fact]
    public async Task A_commit_is_an_ancestor_of_itself_and_of_later_commits_never_of_earlier_or_unknown_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var v1 = (await _git.ResolveAsync("v1", ct))!;
        var v3 = (await _git.ResolveAsync("v3", ct))!;

        Assert.True(await _git.IsAncestorAsync(v1, v3, ct));
        Assert.True(await _git.IsAncestorAsync(v3, v3, ct));
        Assert.False(await _git.IsAncestorAsync(v3, v1, ct));
        Assert.False(await _git.IsAncestorAsync("deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", v3, ct));
        Assert.False(await _git.IsAncestorAsync("--all", v3, ct));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
