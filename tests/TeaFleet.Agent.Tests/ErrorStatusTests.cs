using Grpc.Core;
using Grpc.Net.Client;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// ErrorInterceptor's mapping as a caller sees it: real gRPC calls over mTLS to the in-process agent,
/// each failure checked for its status code and for a message that says what to do.
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class ErrorStatusTests(MutualTlsAgentFixture fixture) : IDisposable
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _operator = fixture.Certificates.IssueOperator("alice");
    private GrpcChannel? _channel;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GrpcChannel Channel => _channel ??= fixture.Agent.CreateChannel(_operator);

    [Fact]
    public async Task Recreating_a_service_the_host_does_not_allow_is_InvalidArgument_listing_the_allowed_services()
    {
        var request = new RecreateServicesRequest
        {
            Header = new OperationHeader { OperationId = "recreate-unknown-service", RequestedBy = "alice" },
            Services = { "database-admin" },
            Commit = "3f2a1c9",
        };

        var error = await ThrowsFromStreamAsync(new V1.Services.ServicesClient(Channel).Recreate(request, deadline: Deadline(), cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("has no service database-admin that TeaFleet may touch", error.Status.Detail);
        Assert.Contains("its services are: backend, worker, frontend", error.Status.Detail);
    }

    [Fact]
    public async Task A_malformed_operation_id_is_InvalidArgument_saying_what_an_id_may_contain()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new V1.Operations.OperationsClient(Channel).GetAsync(new GetOperationRequest { OperationId = "not an id!" }, deadline: Deadline(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("operation id 'not an id!' is not valid", error.Status.Detail);
        Assert.Contains("letters, digits", error.Status.Detail);
    }

    [Fact]
    public async Task A_mutating_call_without_an_operation_id_is_InvalidArgument_saying_the_caller_chooses_one()
    {
        var error = await ThrowsFromStreamAsync(new V1.Source.SourceClient(Channel).Fetch(new FetchSourceRequest(), deadline: Deadline(), cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("header.operation_id chosen by the caller", error.Status.Detail);
    }

    [Fact]
    public async Task Watching_an_unknown_operation_is_NotFound_with_where_to_look()
    {
        var error = await ThrowsFromStreamAsync(new V1.Operations.OperationsClient(Channel).Watch(new WatchRequest { OperationId = "no-such-operation" }, deadline: Deadline(), cancellationToken: Ct));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains($"host {InProcessAgent.HostName} has no operation no-such-operation", error.Status.Detail);
        Assert.Contains("teafleet status", error.Status.Detail);
    }

    [Fact]
    public async Task Getting_an_unknown_operation_is_NotFound_with_where_to_look()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new V1.Operations.OperationsClient(Channel).GetAsync(new GetOperationRequest { OperationId = "no-such-operation" }, deadline: Deadline(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("teafleet status", error.Status.Detail);
    }

    [Fact]
    public async Task Database_calls_on_a_host_without_a_database_are_FailedPrecondition_pointing_at_the_database_host()
    {
        var database = new V1.Database.DatabaseClient(Channel);
        const string advice = "run database commands against the host that runs PostgreSQL";

        var list = await Assert.ThrowsAsync<RpcException>(() => database.ListBackupsAsync(new ListBackupsRequest(), deadline: Deadline(), cancellationToken: Ct).ResponseAsync);
        var check = await Assert.ThrowsAsync<RpcException>(() => database.CheckAsync(new CheckDatabaseRequest(), deadline: Deadline(), cancellationToken: Ct).ResponseAsync);
        var backup = await ThrowsFromStreamAsync(database.CreateBackup(
            new CreateBackupRequest { Header = new OperationHeader { OperationId = "backup-without-database" } }, deadline: Deadline(), cancellationToken: Ct));

        Assert.All(new[] { list, check, backup }, error =>
        {
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("has no database configured (Agent:Database:Name is empty)", error.Status.Detail);
            Assert.Contains(advice, error.Status.Detail);
        });
    }

    [Fact]
    public async Task Listing_services_while_Docker_does_not_answer_is_Unavailable_saying_to_check_dockerd()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new V1.Services.ServicesClient(Channel).ListAsync(new ListServicesRequest(), deadline: Deadline(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("no-docker.sock is unreachable", error.Status.Detail);
        Assert.Contains("check that dockerd runs on this host", error.Status.Detail);
    }

    [Fact]
    public async Task Blocking_a_port_that_is_not_a_public_port_is_InvalidArgument_naming_the_configured_ports()
    {
        var error = await ThrowsFromStreamAsync(new V1.Firewall.FirewallClient(Channel).Block(
            new FirewallRequest { Header = new OperationHeader { OperationId = "block-ssh" }, Ports = { 22 } }, deadline: Deadline(), cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("port(s) 22 are not public ports of test-1", error.Status.Detail);
        Assert.Contains("Agent:Firewall:Ports (80,443)", error.Status.Detail);
    }

    [Fact]
    public async Task Firewall_calls_without_ufw_are_FailedPrecondition_saying_to_install_it_or_set_the_command()
    {
        var firewall = new V1.Firewall.FirewallClient(Channel);

        var block = await ThrowsFromStreamAsync(firewall.Block(
            new FirewallRequest { Header = new OperationHeader { OperationId = "block-without-ufw" } }, deadline: Deadline(), cancellationToken: Ct));
        var status = await firewall.StatusAsync(new FirewallStatusRequest(), deadline: Deadline(), cancellationToken: Ct);

        Assert.Equal(StatusCode.FailedPrecondition, block.StatusCode);
        Assert.Contains("install it (`apt-get install ufw`) or set Agent:Firewall:Command", block.Status.Detail);
        Assert.False(status.Available);
        Assert.Equal(block.Status.Detail, status.Message);
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _operator.Dispose();
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);

    /// <summary>A server-streaming call's error arrives with its first read.</summary>
    private static async Task<RpcException> ThrowsFromStreamAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            return await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
                {
                }
            });
        }
    }
}
