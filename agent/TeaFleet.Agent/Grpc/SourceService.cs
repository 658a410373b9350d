using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class SourceService(GitRepository git, SourceOperations sourceOperations) : V1.Source.SourceBase
{
    public override async Task<GetSourceStatusResponse> GetStatus(GetSourceStatusRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var commit = await git.HeadAsync(ct);
        var changes = await git.ChangesAsync(ct);
        var response = new GetSourceStatusResponse
        {
            Commit = commit,
            Dirty = changes.Count > 0,
            Branch = await git.BranchAsync(ct),
        };
        response.Tags.AddRange(await git.TagsAtAsync(commit, ct));
        response.Changes.AddRange(changes.Take(20));
        return response;
    }

    public override async Task<SourceLogResponse> Log(SourceLogRequest request, ServerCallContext context)
    {
        var max = request.MaxCount > 0 ? Math.Min(request.MaxCount, 1000) : 20;
        var commits = await git.LogAsync(max, request.Since?.ToDateTimeOffset(), request.Until?.ToDateTimeOffset(),
            string.IsNullOrEmpty(request.Ref) ? null : request.Ref, context.CancellationToken);
        var response = new SourceLogResponse();
        foreach (var c in commits)
        {
            var commit = new SourceCommit { Commit = c.Commit, Time = Timestamp.FromDateTimeOffset(c.Time), Subject = c.Subject, Author = c.Author };
            commit.Tags.AddRange(c.Tags);
            response.Commits.Add(commit);
        }

        return response;
    }

    public override async Task<ResolveRefResponse> Resolve(ResolveRefRequest request, ServerCallContext context)
    {
        var commit = await git.ResolveAsync(request.Ref?.Trim() ?? "", context.CancellationToken)
            ?? throw AgentException.NotFound($"the app checkout has no commit or tag '{request.Ref}'; check the id (teafleet releases) or fetch the code first");
        var response = new ResolveRefResponse { Commit = commit };
        response.Tags.AddRange(await git.TagsAtAsync(commit, context.CancellationToken));
        return response;
    }

    public override Task Fetch(FetchSourceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(sourceOperations.Fetch(request, CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Checkout(CheckoutSourceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var record = await sourceOperations.CheckoutAsync(request, CallerIdentity.Of(context), context.CancellationToken);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }
}
