using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The host lock through real calls: a git fetch from an origin that never answers (a loopback port
/// that accepts and stays silent) holds the lock for as long as the test wants, without Docker.
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class HostLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_mutating_call_while_an_operation_holds_the_host_is_Aborted_naming_the_holder()
    {
        using var silentOrigin = new TcpListener(IPAddress.Loopback, 0);
        silentOrigin.Start();
        var originPort = ((IPEndPoint)silentOrigin.LocalEndpoint).Port;
        using var certificates = new TestCertificates();
        await using var agent = InProcessAgent.WithTls(certificates);
        var checkout = Directory.CreateDirectory(Path.Combine(agent.Dir, "app")).FullName;
        await GitAsync(checkout, "init", "--quiet");
        await GitAsync(checkout, "remote", "add", "origin", $"git://127.0.0.1:{originPort}/app.git");
        Assert.True(await agent.StartAsync(), agent.StartErrors);
        using var alice = certificates.IssueOperator("alice");
        using var channel = agent.CreateChannel(alice);
        var source = new V1.Source.SourceClient(channel);
        var operations = new V1.Operations.OperationsClient(channel);

        using var holding = source.Fetch(new FetchSourceRequest { Header = new OperationHeader { OperationId = "fetch-holding", RequestedBy = "alice" } }, cancellationToken: Ct);
        var held = await WaitForLockAsync(operations, held: true);
        Assert.Equal("fetch-holding", held.OperationId);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var second = source.Fetch(new FetchSourceRequest { Header = new OperationHeader { OperationId = "fetch-second" } }, deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: Ct);
            await foreach (var _ in second.ResponseStream.ReadAllAsync(Ct))
            {
            }
        });

        Assert.Equal(StatusCode.Aborted, refused.StatusCode);
        Assert.Contains($"host {InProcessAgent.HostName} is busy: operation fetch-holding (source.fetch) held by alice", refused.Status.Detail);
        Assert.Contains($"Wait for it to finish, or follow it with `teafleet watch {InProcessAgent.HostName} fetch-holding`", refused.Status.Detail);

        // Cancelling the holder interrupts git; its stream ends cancelled and the host is free again.
        await operations.CancelAsync(new CancelOperationRequest { OperationId = "fetch-holding" }, cancellationToken: Ct);
        var events = new List<OperationEvent>();
        await foreach (var evt in holding.ResponseStream.ReadAllAsync(Ct))
        {
            events.Add(evt);
        }

        Assert.True(events[^1].Final);
        Assert.Equal(OperationPhase.Cancelled, events[^1].Phase);
        await WaitForLockAsync(operations, held: false);
    }

    private static async Task<LockInfo> WaitForLockAsync(V1.Operations.OperationsClient operations, bool held)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = (await operations.ListAsync(new ListOperationsRequest(), cancellationToken: Ct)).Lock;
            if (state.Held == held)
            {
                return state;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the host lock did not become {(held ? "held" : "free")}: {state}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var stderr = await git.StandardError.ReadToEndAsync(Ct);
        await git.WaitForExitAsync(Ct);
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {stderr}");
    }
}
