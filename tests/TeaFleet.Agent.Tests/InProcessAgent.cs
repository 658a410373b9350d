using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The real agent (its Program: configuration, options validation, Kestrel with TLS, gRPC services)
/// hosted in this process by WebApplicationFactory on real Kestrel, on a free loopback port, with a
/// temporary directory for its state, backups, checkout and certificates. Docker points at a socket
/// that does not exist, so nothing here needs or touches a Docker daemon.
/// </summary>
internal sealed class InProcessAgent : IAsyncDisposable
{
    public const string HostName = "test-1";

    private readonly X509Certificate2? _ca;
    private Factory? _factory;

    private InProcessAgent(TestCertificates? certificates)
    {
        Dir = Directory.CreateTempSubdirectory("teafleet-inproc-").FullName;
        Port = FreeLoopbackPort();
        Settings = new Dictionary<string, string>
        {
            ["Agent:HostName"] = HostName,
            ["Agent:Listen:Address"] = "127.0.0.1",
            ["Agent:Listen:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Listen:HealthPort"] = "0",
            ["Agent:StateDir"] = Path.Combine(Dir, "state"),
            ["Agent:BackupDir"] = Path.Combine(Dir, "backups"),
            ["Agent:Docker:Endpoint"] = "unix://" + Path.Combine(Dir, "no-docker.sock"),
            ["Agent:App:CheckoutDir"] = Path.Combine(Dir, "app"),
            ["Agent:App:ComposeCommand:0"] = "docker",
            ["Agent:App:ComposeCommand:1"] = "compose",
            ["Agent:App:ComposeFiles:0"] = "compose.yml",
            ["Agent:App:Services:0"] = "backend",
            ["Agent:App:Services:1"] = "worker",
            ["Agent:App:Services:2"] = "frontend",
            // Never the machine's own ufw: Firewall calls find no program (FAILED_PRECONDITION).
            ["Agent:Firewall:Command:0"] = Path.Combine(Dir, "no-ufw"),
        };
        if (certificates is null)
        {
            Settings["Agent:Listen:Insecure"] = "true";
            return;
        }

        _ca = X509Certificate2.CreateFromPem(certificates.Ca.ExportCertificatePem());
        using var agentCertificate = certificates.IssueAgent(HostName, IPAddress.Loopback);
        var (ca, certificate, key) = certificates.WriteAgentFiles(Dir, agentCertificate, HostName);
        Settings["Agent:Tls:CaCertificate"] = ca;
        Settings["Agent:Tls:Certificate"] = certificate;
        Settings["Agent:Tls:PrivateKey"] = key;
    }

    /// <summary>The agent's temporary directory (deleted on dispose).</summary>
    public string Dir { get; }

    public int Port { get; private set; }

    /// <summary>The plain-HTTP port of GET /healthz; 0 (off) unless UseHealthPort was called.</summary>
    public int HealthPort { get; private set; }

    /// <summary>The agent's configuration keys, given to its Program as command-line settings; change them before Start.</summary>
    public Dictionary<string, string> Settings { get; }

    /// <summary>What the agent's Program wrote to stderr while starting (its reasons when it refuses to start).</summary>
    public string StartErrors { get; private set; } = "";

    /// <summary>The clock the agent's services get instead of the system's (a FakeTimeProvider); set before Start.</summary>
    public TimeProvider? Time { get; set; }

    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("the agent was not started");

    /// <summary>Whether the host got as far as serving (IHostApplicationLifetime.ApplicationStarted).</summary>
    public bool Started => Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested;

    /// <summary>An agent serving gRPC over mutual TLS with certificates from the given CA.</summary>
    public static InProcessAgent WithTls(TestCertificates certificates) => new(certificates);

    /// <summary>An agent serving plaintext gRPC (Listen:Insecure).</summary>
    public static InProcessAgent Insecure() => new(null);

    /// <summary>Opens the plain-HTTP health port (GET /healthz) on another free loopback port.</summary>
    public void UseHealthPort()
    {
        HealthPort = FreeLoopbackPort();
        Settings["Agent:Listen:HealthPort"] = HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs the agent's Program until it serves or gives up; returns whether it serves. A Program that
    /// refuses its configuration prints why and returns 2; the factory then throws the
    /// OptionsValidationException itself when it asks the never-started host for its server.
    /// A free port taken by someone else between the choice and the bind is chosen again, once.
    /// </summary>
    public async Task<bool> StartAsync()
    {
        try
        {
            return await StartOnceAsync();
        }
        catch (ObjectDisposedException) when (StartErrors.Contains("address already in use", StringComparison.Ordinal))
        {
            // Program gave up ("cannot start: Failed to bind") and disposed its host; the factory then trips over it.
        }

        try
        {
            await _factory!.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed by Program's RunAsync.
        }

        Port = FreeLoopbackPort();
        Settings["Agent:Listen:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (HealthPort != 0)
        {
            UseHealthPort();
        }

        return await StartOnceAsync();
    }

    private async Task<bool> StartOnceAsync()
    {
        _factory = new Factory(Settings, Time);
        var stderr = new StringWriter();
        var original = Console.Error;
        // Start-up failures are written to stderr by Program; keep a copy for the test to read.
        Console.SetError(new TeeWriter(original, stderr));
        try
        {
            await Task.Run(_factory.StartServer);
        }
        finally
        {
            Console.SetError(original);
            StartErrors = stderr.ToString();
        }

        return Started;
    }

    /// <summary>A gRPC channel to the agent: https with the given client certificate (or none), trusting only the test CA; plain http for an insecure agent.</summary>
    public GrpcChannel CreateChannel(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (_ca is null)
        {
            return GrpcChannel.ForAddress($"http://127.0.0.1:{Port}", new GrpcChannelOptions { HttpHandler = handler });
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(_ca);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = policy,
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
        };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{Port}", new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <summary>The agent's own log (Serilog's JSON lines in StateDir/logs) as it stands now.</summary>
    public string ReadLog()
    {
        var logs = Path.Combine(Settings["Agent:StateDir"], "logs");
        if (!Directory.Exists(logs))
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(logs))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _ca?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is gone with the process; /tmp is cleaned anyway.
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Program on real Kestrel; the settings reach it as its command-line arguments.</summary>
    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly IReadOnlyDictionary<string, string> _settings;
        private readonly TimeProvider? _time;

        public Factory(IReadOnlyDictionary<string, string> settings, TimeProvider? time)
        {
            _settings = new Dictionary<string, string>(settings);
            _time = time;
            UseKestrel();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            if (_time is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(_time));
            }
        }
    }

    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.WriteLine(value);
        }
    }
}
