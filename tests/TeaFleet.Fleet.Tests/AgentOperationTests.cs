using System.Net.Sockets;
using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Fleet.Tests;

/// <summary>The agent's single-step operations, called over mTLS as the controller would, checked from outside.</summary>
public sealed class AgentOperationTests(FleetFixture fleet)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OperationHeader Header(string what) => new() { OperationId = $"fleet-test.{what}.{Guid.NewGuid():N}", RequestedBy = "fleet tests" };

    private static async Task<OperationEvent> FinishAsync(AsyncServerStreamingCall<OperationEvent> call)
    {
        var last = (await OperationEvents.AllAsync(call, Ct)).LastOrDefault();
        Assert.NotNull(last);
        Assert.True(last.Final);
        return last;
    }

    private async Task<bool> BackendAnswersAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(fleet.Staging.Address, 8000, Ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Stop_makes_the_backend_port_go_silent_and_start_brings_it_back_healthy()
    {
        var services = new Services.ServicesClient(fleet.Agent(fleet.Staging));
        var request = new ServiceActionRequest { Services = { "backend" } };

        request.Header = Header("stop");
        var stopped = await FinishAsync(services.Stop(request, cancellationToken: Ct));
        var answeredWhileStopped = await BackendAnswersAsync();
        var state = (await services.ListAsync(new ListServicesRequest(), cancellationToken: Ct)).Services.Single(s => s.Name == "backend").State;
        request.Header = Header("start");
        var started = await FinishAsync(services.Start(request, cancellationToken: Ct));

        Assert.Equal(OperationPhase.Succeeded, stopped.Phase);
        Assert.False(answeredWhileStopped);
        Assert.Equal("exited", state);
        Assert.Equal(OperationPhase.Succeeded, started.Phase);
        Assert.True(await BackendAnswersAsync());
        // Start's verify ran the backend's own health check; Docker may not have run its own yet.
        Assert.NotEqual("unhealthy", (await services.ListAsync(new ListServicesRequest(), cancellationToken: Ct)).Services.Single(s => s.Name == "backend").Health);
        Assert.False(string.IsNullOrEmpty(await fleet.BackendCommitAsync(fleet.Staging)));
    }

    [Fact]
    public async Task A_service_the_host_does_not_allow_is_refused_and_nothing_is_stopped()
    {
        var services = new Services.ServicesClient(fleet.Agent(fleet.Hosts["prod-2"]));
        var before = await fleet.Hosts["prod-2"].ContainerIdsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => FinishAsync(services.Stop(new ServiceActionRequest { Header = Header("stop-db"), Services = { "db" } }, cancellationToken: Ct)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("backend", error.Status.Detail);
        Assert.Equal(before, await fleet.Hosts["prod-2"].ContainerIdsAsync());
    }

    [Fact]
    public async Task Checkout_moves_the_app_checkout_and_fetch_succeeds_against_the_origin()
    {
        var source = new Source.SourceClient(fleet.Agent(fleet.Staging));
        var before = (await source.GetStatusAsync(new GetSourceStatusRequest(), cancellationToken: Ct)).Commit;

        var fetched = await FinishAsync(source.Fetch(new FetchSourceRequest { Header = Header("fetch") }, cancellationToken: Ct));
        var checkedOut = await FinishAsync(source.Checkout(new CheckoutSourceRequest { Header = Header("checkout"), Commit = "v1" }, cancellationToken: Ct));
        var status = await source.GetStatusAsync(new GetSourceStatusRequest(), cancellationToken: Ct);
        await FinishAsync(source.Checkout(new CheckoutSourceRequest { Header = Header("checkout-back"), Commit = before }, cancellationToken: Ct));

        Assert.Equal(OperationPhase.Succeeded, fetched.Phase);
        Assert.Equal(OperationPhase.Succeeded, checkedOut.Phase);
        Assert.Equal(fleet.Commits["v1"], status.Commit);
        Assert.Contains("v1", status.Tags);
        Assert.False(status.Dirty);
        var log = await source.LogAsync(new SourceLogRequest { MaxCount = 10 }, cancellationToken: Ct);
        Assert.Contains(log.Commits, c => c.Commit == fleet.Commits["v3"] && c.Tags.Contains("v3"));
    }

    [Fact]
    public async Task Logs_of_a_service_come_back_through_the_cli()
    {
        var result = await fleet.TeaFleetOkAsync(fleet.NewInventory(), "logs", "staging", "backend", "--tail", "5");

        Assert.NotEmpty(result.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_switch_that_never_gets_healthy_fails_at_verify_with_the_service_s_last_log_lines_and_the_ledger_says_failed()
    {
        var inventory = fleet.NewInventory();
        await fleet.DeployHistoryAsync(inventory, "staging");
        var channel = fleet.Agent(fleet.Staging);
        var services = new Services.ServicesClient(channel);
        await FinishAsync(services.Stop(new ServiceActionRequest { Header = Header("stop-db"), Services = { "db" } }, cancellationToken: Ct));
        try
        {
            using var call = services.Recreate(new RecreateServicesRequest
            {
                Header = Header("doomed"),
                // With its nginx in the same switch the backend is recreated, not handed over to a stand-in
                // (RollingTests has the stand-in's failure): the verify step is what fails.
                Services = { "backend", "frontend" },
                Commit = "v2",
                Kind = "deploy",
                VerifyTimeoutSeconds = 8,
            }, cancellationToken: Ct);
            var events = await OperationEvents.AllAsync(call, Ct);

            var final = events[^1];
            Assert.Equal(OperationPhase.Failed, final.Phase);
            Assert.Equal("verify", final.Data["failed_step"]);
            Assert.Contains("Last lines of backend", final.Message);
            Assert.Contains(events, e => e.Step == "verify" && e.Phase == OperationPhase.Log && e.Message.StartsWith("backend | ", StringComparison.Ordinal));
            var newest = (await new Releases.ReleasesClient(channel).ListAsync(new ListReleasesRequest { Limit = 1 }, cancellationToken: Ct)).Releases[0];
            Assert.Equal(ReleaseResult.Failed, newest.Result);
            Assert.Equal(fleet.Commits["v2"], newest.Commit);
        }
        finally
        {
            await FinishAsync(services.Start(new ServiceActionRequest { Header = Header("start-db"), Services = { "db" } }, cancellationToken: Ct));
            await fleet.TeaFleetOkAsync(inventory, "deploy", "staging", "v3", "--yes");
        }
    }
}
