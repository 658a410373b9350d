using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Adapters;

/// <summary>The app's git checkout, through the git program with argument lists.</summary>
public sealed class GitRepository(ProcessRunner runner, IOptions<AgentOptions> options)
{
    private string Dir => options.Value.App.CheckoutDir;

    public async Task<string> HeadAsync(CancellationToken cancellationToken) =>
        (await GitAsync(["rev-parse", "HEAD"], cancellationToken)).Trim();

    public async Task<string> BranchAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync("git", ["symbolic-ref", "--quiet", "--short", "HEAD"], Dir, null, null, cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : "";
    }

    /// <summary>Tracked files with changes (untracked files such as .env do not count).</summary>
    public async Task<IReadOnlyList<string>> ChangesAsync(CancellationToken cancellationToken)
    {
        var output = await GitAsync(["status", "--porcelain", "--untracked-files=no"], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
    }

    public async Task<IReadOnlyList<string>> TagsAtAsync(string commit, CancellationToken cancellationToken)
    {
        var output = await GitAsync(["tag", "--points-at", commit], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>The full commit a ref names, or null when the checkout has no such commit.</summary>
    public async Task<string?> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsPlausibleRef(reference))
        {
            throw AgentException.Invalid($"'{reference}' is not a commit, tag or branch name; give a commit hash (e.g. 3f2a1c9) or a tag");
        }

        var result = await runner.RunAsync("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}"], Dir, null, null, cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="commit"/> or a commit it descends from (`git merge-base --is-ancestor`); false when either is unknown.</summary>
    public async Task<bool> IsAncestorAsync(string ancestor, string commit, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsPlausibleRef(ancestor) || !GitRefs.IsPlausibleRef(commit))
        {
            return false;
        }

        var result = await runner.RunAsync("git", ["merge-base", "--is-ancestor", "--end-of-options", ancestor, commit], Dir, null, null, cancellationToken);
        return result.ExitCode == 0;
    }

    public async Task<IReadOnlyList<GitCommit>> LogAsync(int maxCount, DateTimeOffset? since, DateTimeOffset? until, string? reference, CancellationToken cancellationToken)
    {
        List<string> args = ["log", "--topo-order", "--format=%H%x1f%cI%x1f%an%x1f%s%x1f%D", $"--max-count={maxCount}"];
        if (since is { } s)
        {
            args.Add("--since=" + s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        if (until is { } u)
        {
            args.Add("--until=" + u.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        if (string.IsNullOrEmpty(reference))
        {
            args.Add("--all");
        }
        else
        {
            var commit = await ResolveAsync(reference, cancellationToken)
                ?? throw AgentException.NotFound($"the checkout has no commit or tag '{reference}'; fetch first or check the name");
            args.Add(commit);
        }

        var output = await GitAsync(args, cancellationToken);
        var commits = new List<GitCommit>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\x1f');
            if (parts.Length < 5)
            {
                continue;
            }

            var tags = parts[4].Split(", ", StringSplitOptions.RemoveEmptyEntries)
                .Where(d => d.StartsWith("tag: ", StringComparison.Ordinal))
                .Select(d => d[5..])
                .ToList();
            commits.Add(new GitCommit(parts[0], DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], parts[3], tags));
        }

        return commits;
    }

    /// <summary>The files directly under a directory of a commit (name → text), without checking it out; empty when the directory does not exist there.</summary>
    public async Task<IReadOnlyList<(string Name, string Text)>> ReadDirectoryAsync(string commit, string directory, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsFullCommit(commit))
        {
            throw AgentException.Invalid($"reading files takes a full commit hash, not '{commit}'");
        }

        var listing = await GitAsync(["ls-tree", "--name-only", commit, directory.TrimEnd('/') + "/"], cancellationToken);
        var files = new List<(string, string)>();
        foreach (var path in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            files.Add((Path.GetFileName(path), await GitAsync(["show", $"{commit}:{path}"], cancellationToken)));
        }

        return files;
    }

    /// <summary>
    /// Writes the tree of a commit into an empty directory without touching the checkout or its index
    /// (a throw-away index: <c>read-tree</c>, then <c>checkout-index --prefix</c>).
    /// </summary>
    public async Task MaterialiseAsync(string commit, string directory, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsFullCommit(commit))
        {
            throw AgentException.Invalid($"reading files takes a full commit hash, not '{commit}'");
        }

        var environment = new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = Path.Combine(directory, ".teafleet-index") };
        try
        {
            await GitAsync(["read-tree", commit], cancellationToken, environment);
            await GitAsync(["checkout-index", "--all", "--force", "--prefix=" + directory.TrimEnd('/') + "/"], cancellationToken, environment);
        }
        finally
        {
            File.Delete(Path.Combine(directory, ".teafleet-index"));
        }
    }

    public Task FetchAsync(Action<string> onLine, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync("git", ["fetch", "--tags", "--prune", "origin"], Dir, null, onLine, cancellationToken);

    public Task CheckoutAsync(string commit, Action<string> onLine, CancellationToken cancellationToken)
    {
        if (!GitRefs.IsFullCommit(commit))
        {
            throw AgentException.Invalid($"checkout takes a full commit hash, not '{commit}'");
        }

        return runner.RunCheckedAsync("git", ["checkout", "--detach", "--quiet", commit], Dir, null, onLine, cancellationToken);
    }

    private async Task<string> GitAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!Directory.Exists(Dir))
        {
            throw AgentException.Precondition($"the app checkout {Dir} does not exist; clone the app there or fix App:CheckoutDir in the agent's configuration");
        }

        try
        {
            return (await runner.RunCheckedAsync("git", args, Dir, environment, null, cancellationToken)).StandardOutput;
        }
        catch (ProcessFailedException ex)
        {
            throw AgentException.Precondition($"git failed in {Dir}: {ex.Message}");
        }
    }
}
