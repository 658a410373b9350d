using Grpc.Core;
using Grpc.Core.Testing;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Releases;
using TeaFleet.Agent.V1;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

public sealed class GrpcServiceTests
{
    private static ServerCallContext Call(string method) => TestServerCallContext.Create(
        method, null, DateTime.UtcNow.AddMinutes(1), [], TestContext.Current.CancellationToken, "127.0.0.1", null, null,
        _ => Task.CompletedTask, () => new WriteOptions(), _ => { });

    [Fact]
    public async Task Watch_re_attaches_to_a_finished_operation_and_streams_from_the_given_sequence()
    {
        using var agent = new TestAgent();
        var record = agent.Manager.Start(new M.OperationHeader("op-1"), "test.kind", "", "tester", async context =>
        {
            await context.StepAsync("one", "first", () => Task.FromResult("ok"));
            return new Dictionary<string, string> { ["answer"] = "42" };
        });
        await foreach (var _ in record.WatchAsync(0, TestContext.Current.CancellationToken))
        {
        }

        var service = new OperationsService(agent.Manager);
        var writer = new TestStreamWriter<OperationEvent>();
        await service.Watch(new WatchRequest { OperationId = "op-1", AfterSequence = 2 }, writer, Call("/teafleet.agent.v1.Operations/Watch"));

        Assert.Equal(3, writer.Written[0].Sequence);
        Assert.True(writer.Written[^1].Final);
        Assert.Equal("42", writer.Written[^1].Data["answer"]);
    }

    [Fact]
    public async Task Watch_of_an_unknown_operation_is_not_found_with_advice()
    {
        using var agent = new TestAgent();
        var service = new OperationsService(agent.Manager);

        var error = await Assert.ThrowsAsync<AgentException>(() =>
            service.Watch(new WatchRequest { OperationId = "nope" }, new TestStreamWriter<OperationEvent>(), Call("/w")));

        Assert.Equal(StatusCode.NotFound, TeaFleet.Agent.Grpc.ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public async Task Releases_list_is_newest_first_with_the_current_commit()
    {
        using var agent = new TestAgent();
        foreach (var c in "abc")
        {
            var r = agent.Ledger.Begin(new M.Release { Commit = new string(c, 40) });
            agent.Ledger.Finish(r.Id, c == 'c' ? M.ReleaseResult.Failed : M.ReleaseResult.Succeeded, "");
        }

        var response = await new ReleasesService(new ReleaseHistory(agent.Ledger), null!).List(new ListReleasesRequest(), Call("/l"));

        Assert.Equal([3L, 2L, 1L], response.Releases.Select(r => r.Id));
        Assert.Equal(new string('b', 40), response.CurrentCommit);
    }

    [Theory]
    [InlineData(FailureKind.Invalid, StatusCode.InvalidArgument)]
    [InlineData(FailureKind.NotFound, StatusCode.NotFound)]
    [InlineData(FailureKind.Precondition, StatusCode.FailedPrecondition)]
    [InlineData(FailureKind.Busy, StatusCode.Aborted)]
    [InlineData(FailureKind.Unavailable, StatusCode.Unavailable)]
    public async Task A_domain_failure_reaches_the_caller_as_its_status_code_with_its_message(FailureKind kind, StatusCode expected)
    {
        var interceptor = new ErrorInterceptor(Microsoft.Extensions.Logging.Abstractions.NullLogger<ErrorInterceptor>.Instance);

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<WatchRequest, GetOperationResponse>(
            new WatchRequest(), Call("/t"), (_, _) => throw new AgentException(kind, "what to do")));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("what to do", error.Status.Detail);
    }
}
