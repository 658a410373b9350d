using Grpc.Core;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Grpc;

public sealed class ReleasesService(ReleaseLedger ledger) : Releases.ReleasesBase
{
    public override Task<ListReleasesResponse> List(ListReleasesRequest request, ServerCallContext context)
    {
        var response = new ListReleasesResponse { CurrentCommit = ledger.Current()?.Commit ?? "" };
        response.Releases.AddRange(ledger.List(request.Limit > 0 ? request.Limit : 50));
        return Task.FromResult(response);
    }
}
