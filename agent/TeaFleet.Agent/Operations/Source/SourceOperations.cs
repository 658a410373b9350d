using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Source;

/// <summary>Fetch and checkout of the app's code, one operation each.</summary>
public sealed class SourceOperations(OperationManager operations, GitRepository git)
{
    public const string FetchKind = OperationKinds.SourceFetch;
    public const string CheckoutKind = OperationKinds.SourceCheckout;

    /// <summary>The checkout: its commit, branch, tags there and the first 20 local changes.</summary>
    public async Task<SourceStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var commit = await git.HeadAsync(cancellationToken);
        var changes = await git.ChangesAsync(cancellationToken);
        var branch = await git.BranchAsync(cancellationToken);
        var tags = await git.TagsAtAsync(commit, cancellationToken);
        return new SourceStatus(commit, changes.Count > 0, branch, tags, changes.Take(20).ToList());
    }

    /// <summary>Commits newest first (20 when 0, at most 1000), optionally between two times and from a ref.</summary>
    public Task<IReadOnlyList<GitCommit>> LogAsync(int maxCount, DateTimeOffset? since, DateTimeOffset? until, string reference, CancellationToken cancellationToken) =>
        git.LogAsync(maxCount > 0 ? Math.Min(maxCount, 1000) : 20, since, until, string.IsNullOrEmpty(reference) ? null : reference, cancellationToken);

    /// <summary>A commit or tag as a full commit hash, with the tags at it.</summary>
    public async Task<(string Commit, IReadOnlyList<string> Tags)> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        var commit = await git.ResolveAsync(reference.Trim(), cancellationToken)
            ?? throw AgentException.NotFound($"the app checkout has no commit or tag '{reference}'; check the id (teafleet releases) or fetch the code first");
        return (commit, await git.TagsAtAsync(commit, cancellationToken));
    }

    public OperationRecord Fetch(OperationHeader header, string caller) =>
        operations.TryAttach(header, FetchKind) ??
        operations.Start(header, FetchKind, "origin", caller, async context =>
        {
            await context.StepAsync("fetch", "git fetch origin", async () =>
            {
                await git.FetchAsync(line => context.Log("fetch", line), context.CancellationToken);
                return "fetched";
            });
            return null;
        });

    public async Task<OperationRecord> CheckoutAsync(OperationHeader header, string reference, string caller, CancellationToken cancellationToken)
    {
        var existing = operations.TryAttach(header, CheckoutKind);
        if (existing is not null)
        {
            return existing;
        }

        var commit = await git.ResolveAsync(reference.Trim(), cancellationToken)
            ?? throw AgentException.NotFound($"the app checkout has no commit or tag '{reference}'; fetch first or check the id");
        return operations.Start(header, CheckoutKind, GitRefs.Short(commit), caller, async context =>
        {
            var ct = context.CancellationToken;
            await context.StepAsync("checkout", $"check out {GitRefs.Short(commit)}", async () =>
            {
                var changes = await git.ChangesAsync(ct);
                if (changes.Count > 0)
                {
                    throw new InvalidOperationException($"the checkout has local changes ({string.Join(", ", changes.Take(5))}); commit or discard them on the host");
                }

                await git.CheckoutAsync(commit, line => context.Log("checkout", line), ct);
                return $"at {GitRefs.Short(commit)}";
            });
            return new Dictionary<string, string> { ["commit"] = commit };
        });
    }
}
