using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.Retry;
using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Agents;

/// <summary>
/// Opens one gRPC channel per agent: mTLS with the operator's certificate, the server checked against the
/// fleet CA and the host's inventory name; plaintext only on loopback.
/// </summary>
public sealed class AgentPool(FleetInventory inventory, TimeProvider timeProvider) : IDisposable
{
    // Lazy: GetOrAdd may run its factory twice when two threads ask at once, and the channel it dropped would never be disposed.
    private readonly ConcurrentDictionary<string, Lazy<AgentConnection>> _connections = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private X509Certificate2? _clientCertificate;
    private AgentCertificateValidator? _validator;

    public FleetInventory Inventory => inventory;

    /// <summary>The clock the pool's calls use.</summary>
    public TimeProvider TimeProvider => timeProvider;

    public AgentConnection Get(HostConfig host) => _connections.GetOrAdd(host.Name, _ => new Lazy<AgentConnection>(() => Open(host))).Value;

    private AgentConnection Open(HostConfig host)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = AgentConnection.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
        };

        AgentConnection? connection = null;
        if (host.Address.Scheme == Uri.UriSchemeHttps)
        {
            var (clientCertificate, validator) = LoadCertificates();
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var cert = certificate is null ? null : new X509Certificate2(certificate);
                    var check = validator.Validate(cert, host.Name);
                    connection!.LastCertificateFailure = check.Valid ? null : check;
                    return check.Valid;
                },
            };
        }
        else if (!InventoryLoader.IsLoopback(host.Address))
        {
            throw FleetException.BadInput($"{host}: plain http:// is only allowed on loopback (127.x, ::1, localhost). Use https:// with the fleet's certificates.");
        }

        var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        connection = new AgentConnection(host, channel, BuildRetry(() => connection?.LastCertificateFailure is null), timeProvider);
        return connection;
    }

    private ResiliencePipeline BuildRetry(Func<bool> worthRetrying) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => (e.StatusCode == StatusCode.Unavailable || AgentConnection.IsConnectTimeout(e)) && worthRetrying()),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(300),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    Serilog.Log.Warning(args.Outcome.Exception, "Retrying a read after {Attempt} failure(s) in {Delay}", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private (X509Certificate2 Client, AgentCertificateValidator Validator) LoadCertificates()
    {
        lock (_gate)
        {
            if (_clientCertificate is not null && _validator is not null)
            {
                return (_clientCertificate, _validator);
            }

            var paths = inventory.Certificates
                ?? throw FleetException.BadInput($"{inventory.Path}: https agents need a 'certificates:' section (ca, cert, key). Make them with 'teafleet certs init'.");
            foreach (var file in new[] { paths.Ca, paths.Cert, paths.Key })
            {
                if (!File.Exists(file))
                {
                    throw FleetException.BadInput($"{inventory.Path}: certificate file {file} does not exist.", "Make the fleet's certificates with 'teafleet certs init' (and 'teafleet certs agent NAME' for each host), or fix 'certificates:' in the inventory.");
                }
            }

            _validator = AgentCertificateValidator.FromFile(paths.Ca, timeProvider);
            _clientCertificate = X509Certificate2.CreateFromPemFile(paths.Cert, paths.Key);
            return (_clientCertificate, _validator);
        }
    }

    public void Dispose()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated))
        {
            connection.Value.Dispose();
        }

        _clientCertificate?.Dispose();
    }
}
