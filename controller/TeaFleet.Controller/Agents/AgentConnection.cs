using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Polly;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>
/// One agent: its channel (one per host), the generated clients, and the helpers that give unary calls a
/// deadline and a retry on Unavailable and turn gRPC failures into errors an operator can act on.
/// </summary>
public sealed class AgentConnection : IDisposable
{
    public static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel _channel;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _timeProvider;

    internal AgentConnection(HostConfig host, GrpcChannel channel, ResiliencePipeline retry, TimeProvider timeProvider)
    {
        Host = host;
        _channel = channel;
        _retry = retry;
        _timeProvider = timeProvider;
        // Every call's time goes into the controller's log (CallTiming).
        var calls = channel.Intercept(new CallTiming(host.Name));
        HostClient = new TeaFleet.Agent.V1.Host.HostClient(calls);
        Services = new Services.ServicesClient(calls);
        Source = new Source.SourceClient(calls);
        Releases = new Releases.ReleasesClient(calls);
        Operations = new Operations.OperationsClient(calls);
        Database = new TeaFleet.Agent.V1.Database.DatabaseClient(calls);
        Migrations = new TeaFleet.Agent.V1.Migrations.MigrationsClient(calls);
        Leases = new TeaFleet.Agent.V1.Leases.LeasesClient(calls);
        Firewall = new TeaFleet.Agent.V1.Firewall.FirewallClient(calls);
        Queue = new TeaFleet.Agent.V1.Queue.QueueClient(calls);
        Maintenance = new TeaFleet.Agent.V1.Maintenance.MaintenanceClient(calls);
        Forensics = new TeaFleet.Agent.V1.Forensics.ForensicsClient(calls);
    }

    public HostConfig Host { get; }

    public TeaFleet.Agent.V1.Host.HostClient HostClient { get; }

    public Services.ServicesClient Services { get; }

    public Source.SourceClient Source { get; }

    public Releases.ReleasesClient Releases { get; }

    public Operations.OperationsClient Operations { get; }

    public TeaFleet.Agent.V1.Database.DatabaseClient Database { get; }

    public TeaFleet.Agent.V1.Migrations.MigrationsClient Migrations { get; }

    public TeaFleet.Agent.V1.Leases.LeasesClient Leases { get; }

    public TeaFleet.Agent.V1.Firewall.FirewallClient Firewall { get; }

    public TeaFleet.Agent.V1.Queue.QueueClient Queue { get; }

    public TeaFleet.Agent.V1.Maintenance.MaintenanceClient Maintenance { get; }
    public TeaFleet.Agent.V1.Forensics.ForensicsClient Forensics { get; }

    /// <summary>The last failed server-certificate check on this channel, to explain a TLS failure.</summary>
    public CertificateCheck? LastCertificateFailure { get; internal set; }

    /// <summary>A unary read with a deadline per attempt and retries on Unavailable only.</summary>
    public async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(
                async ct => await call(new CallOptions(deadline: _timeProvider.GetUtcNow().UtcDateTime + UnaryDeadline, cancellationToken: ct)).ResponseAsync.ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Translate(e);
        }
    }

    public CallOptions StreamOptions(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);

    /// <summary>Turns a gRPC failure into the controller's error with the right exit code.</summary>
    public Exception Translate(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => new AgentUnreachableException(Host, Reason(e), e),
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => new AgentUnreachableException(Host, $"the agent refused the operator certificate ({e.Status.Detail}); check 'certificates:' in the inventory points at a certificate from the fleet CA", e),
        StatusCode.Aborted => new HostBusyException(Host, e.Status.Detail),
        StatusCode.InvalidArgument or StatusCode.NotFound => new FleetException(ExitCodes.BadInput, $"{Host.Name}: {e.Status.Detail}", null, e),
        // HttpClient reports a connection it could not set up within ConnectTimeout (a host that drops
        // packets, or a TLS handshake on a machine too loaded to finish it) as a cancelled call.
        StatusCode.Cancelled when IsConnectTimeout(e) => new AgentUnreachableException(Host, $"no connection within {ConnectTimeout.TotalSeconds:0} s", e),
        StatusCode.Cancelled => new OperationCanceledException(e.Status.Detail, e),
        // The call never started: the connection failed below gRPC. With TLS 1.3 an agent that refuses the
        // client certificate closes the connection after the handshake, which looks exactly like this.
        StatusCode.Internal or StatusCode.Unknown when e.Status.DebugException is HttpRequestException =>
            new AgentUnreachableException(Host, $"{Reason(e)}; if the agent runs, it may have refused the operator certificate: check that 'certificates:' in the inventory points at the fleet CA's operator certificate", e),
        _ => new FleetException(ExitCodes.OperationFailed, $"{Host.Name}: {e.StatusCode}: {e.Status.Detail}", null, e),
    };

    /// <summary>How long the controller waits for a TCP connection and TLS handshake to an agent.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A call that never reached the agent because the connection was not set up in time (gRPC reports it as Cancelled).</summary>
    public static bool IsConnectTimeout(RpcException e)
    {
        if (e.StatusCode != StatusCode.Cancelled)
        {
            return false;
        }

        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    public string Reason(RpcException e)
    {
        if (LastCertificateFailure is { } check)
        {
            return $"TLS certificate check failed: {check.Message}";
        }

        if (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return $"no answer within {UnaryDeadline.TotalSeconds:0} s";
        }

        var inner = e.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner?.Message.TrimEnd('.') ?? e.Status.Detail.TrimEnd('.');
    }

    public void Dispose() => _channel.Dispose();
}
