using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations;

/// <summary>Fetch and checkout of the app's code, one operation each.</summary>
public sealed class SourceOperations(OperationManager operations, GitRepository git)
{
    public const string FetchKind = "source.fetch";
    public const string CheckoutKind = "source.checkout";

    public OperationRecord Fetch(FetchSourceRequest request, string caller) =>
        operations.TryAttach(request.Header, FetchKind) ??
        operations.Start(request.Header, FetchKind, "origin", caller, async context =>
        {
            await context.StepAsync("fetch", "git fetch origin", async () =>
            {
                await git.FetchAsync(line => context.Log("fetch", line), context.CancellationToken);
                return "fetched";
            });
            return null;
        });

    public async Task<OperationRecord> CheckoutAsync(CheckoutSourceRequest request, string caller, CancellationToken cancellationToken)
    {
        var existing = operations.TryAttach(request.Header, CheckoutKind);
        if (existing is not null)
        {
            return existing;
        }

        var commit = await git.ResolveAsync(request.Commit?.Trim() ?? "", cancellationToken)
            ?? throw AgentException.NotFound($"the app checkout has no commit or tag '{request.Commit}'; fetch first or check the id");
        return operations.Start(request.Header, CheckoutKind, GitRefs.Short(commit), caller, async context =>
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
