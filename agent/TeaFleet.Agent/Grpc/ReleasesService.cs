using Grpc.Core;
using TeaFleet.Agent.Operations.Releases;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class ReleasesService(ReleaseHistory history, ServiceSetReader serviceSets) : Releases.ReleasesBase
{
    public override Task<ListReleasesResponse> List(ListReleasesRequest request, ServerCallContext context)
    {
        var (releases, current) = history.List(request.Limit);
        var response = new ListReleasesResponse { CurrentCommit = current };
        response.Releases.AddRange(releases.Select(ReleaseWire.ToWire));
        return Task.FromResult(response);
    }

    public override async Task<GetServiceSetResponse> GetServiceSet(GetServiceSetRequest request, ServerCallContext context) =>
        ReleaseWire.ToWire(await serviceSets.ReadAsync(request.Commit, context.CancellationToken));
}
