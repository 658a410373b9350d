using Grpc.Core;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A connection HttpClient could not set up within its ConnectTimeout reaches gRPC as a Cancelled call (seen on
/// a loaded machine: the TLS handshake did not finish in time). It is an unreachable agent (exit 3), never an
/// operator's Ctrl+C or an unexpected error.
/// </summary>
public sealed class ConnectTimeoutTests
{
    private static RpcException ConnectTimedOut() => new(new Status(StatusCode.Cancelled, "",
        new OperationCanceledException("The operation was canceled.",
            new TaskCanceledException("The operation was canceled.", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")))));

    [Fact]
    public void A_connect_timeout_is_an_unreachable_agent_and_a_plain_cancel_stays_a_cancel()
    {
        using var dir = new TempDirectory();
        var inventory = InventoryLoader.Load(dir.File("teafleet.yaml", """
            app: sample
            state_dir: state
            environments:
              staging:
                hosts:
                  - name: h1
                    address: http://127.0.0.1:9
            """));
        using var agents = new AgentPool(inventory, TimeProvider.System);
        var connection = agents.Get(inventory.Environments[0].Hosts[0]);

        Assert.True(AgentConnection.IsConnectTimeout(ConnectTimedOut()));
        var unreachable = Assert.IsType<AgentUnreachableException>(connection.Translate(ConnectTimedOut()));
        Assert.Contains("no connection within 10 s", unreachable.Message, StringComparison.Ordinal);

        var cancelled = new RpcException(new Status(StatusCode.Cancelled, "cancelled by the caller"));
        Assert.False(AgentConnection.IsConnectTimeout(cancelled));
        Assert.IsType<OperationCanceledException>(connection.Translate(cancelled));
    }
}
