using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TeaFleet.Agent.Operations.Source;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class SourceService(SourceOperations sourceOperations) : V1.Source.SourceBase
{
    public override async Task<GetSourceStatusResponse> GetStatus(GetSourceStatusRequest request, ServerCallContext context)
    {
        var status = await sourceOperations.StatusAsync(context.CancellationToken);
        var response = new GetSourceStatusResponse { Commit = status.Commit, Dirty = status.Dirty, Branch = status.Branch };
        response.Tags.AddRange(status.Tags);
        response.Changes.AddRange(status.Changes);
        return response;
    }

    public override async Task<SourceLogResponse> Log(SourceLogRequest request, ServerCallContext context)
    {
        var commits = await sourceOperations.LogAsync(request.MaxCount, request.Since?.ToDateTimeOffset(), request.Until?.ToDateTimeOffset(), request.Ref, context.CancellationToken);
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
        var (commit, tags) = await sourceOperations.ResolveAsync(request.Ref ?? "", context.CancellationToken);
        var response = new ResolveRefResponse { Commit = commit };
        response.Tags.AddRange(tags);
        return response;
    }

    public override Task Fetch(FetchSourceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context) =>
        OperationStreams.WriteAsync(sourceOperations.Fetch(OperationWire.ToModel(request.Header), CallerIdentity.Of(context)), 0, responseStream, context);

    public override async Task Checkout(CheckoutSourceRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
    {
        var record = await sourceOperations.CheckoutAsync(OperationWire.ToModel(request.Header), request.Commit ?? "", CallerIdentity.Of(context), context.CancellationToken);
        await OperationStreams.WriteAsync(record, 0, responseStream, context);
    }
}
