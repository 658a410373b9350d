using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Operations.Maintenance;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The sample app's own snippet (deploy/sample-app/base/frontend/teafleet-maintenance.conf) in a real
/// nginx of the test's own on 127.0.0.1 and a free port (Debian's nginx-light; deploy/install-deps.sh
/// installs it), with only its mount point replaced by the test's directory. Users come from 127.0.0.3,
/// the controller from 127.0.0.2; nginx is started by PID and stopped by that PID.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MaintenanceNginxTests : IDisposable
{
    private static readonly IPAddress User = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Controller = IPAddress.Parse("127.0.0.2");

    private readonly string _root = Directory.CreateTempSubdirectory("teafleet-maintenance-nginx-").FullName;
    private Process? _nginx;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Dir => Path.Combine(_root, "maintenance");

    public void Dispose()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }

        _nginx?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_sample_apps_nginx_answers_503_with_the_page_while_on_lets_the_controller_and_loopback_through_and_serves_again_after_off()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (nginx is null)
        {
            Assert.Skip("nginx is not installed (apt-get install nginx-light; deploy/install-deps.sh installs it): the snippet is not checked against a real nginx here");
        }

        var port = await StartNginxAsync(nginx);
        using var agent = new TestAgent(Path.Combine(_root, "state"), configure: o => o.Maintenance = new MaintenanceOptions { Directory = Dir, ProxyService = "frontend" });
        var maintenance = new MaintenanceOperations(agent.Manager, new MaintenanceDirectory(agent.Options, NullLogger<MaintenanceDirectory>.Instance), agent.Options, agent.Time);
        using var user = Client(User);
        using var controller = Client(Controller);
        using var loopback = Client(IPAddress.Loopback);
        var url = $"http://127.0.0.1:{port}/api/v1/records";

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync(url, Ct)).StatusCode);

        await MaintenanceTests.DrainAsync(maintenance.Enable(new M.OperationHeader("nginx-on"), "Type 2 rollback", "operator", Controller));

        using (var page = await user.GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("Down for maintenance", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.True(page.Headers.Contains("Retry-After"));
        }

        using (var pass = await controller.GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, pass.StatusCode);
            Assert.Equal("the app\n", await pass.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(HttpStatusCode.OK, (await loopback.GetAsync(url, Ct)).StatusCode);

        await MaintenanceTests.DrainAsync(maintenance.Disable(new M.OperationHeader("nginx-off"), "operator"));

        using var after = await user.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("the app\n", await after.Content.ReadAsStringAsync(Ct));
    }

    private async Task<int> StartNginxAsync(string nginx)
    {
        // nginx's workers run as nobody when the test runs as root: the directories must be searchable.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var snippet = await File.ReadAllTextAsync(Path.Combine(repo, "deploy", "sample-app", "base", "frontend", "teafleet-maintenance.conf"), Ct);
        Assert.Contains("/teafleet-maintenance/on", snippet, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_root, "snippet.conf"), snippet.Replace("/teafleet-maintenance", Dir, StringComparison.Ordinal), Ct);
        var prefix = Directory.CreateDirectory(Path.Combine(_root, "prefix")).FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = FreePort();
        var config = Path.Combine(_root, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            worker_processes 1;
            pid {{_root}}/nginx.pid;
            error_log {{_root}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    include {{_root}}/snippet.conf;
                    location / { default_type text/plain; return 200 "the app\n"; }
                }
            }
            """, Ct);
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-c", config, "-p", prefix })
        {
            start.ArgumentList.Add(argument);
        }

        _nginx = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        _nginx.OutputDataReceived += (_, _) => { };
        _nginx.ErrorDataReceived += (_, _) => { };
        _nginx.BeginOutputReadLine();
        _nginx.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (_nginx.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_nginx.ExitCode}: {ReadLog()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, Ct);
                return port;
            }
            catch (SocketException)
            {
                await Task.Delay(50, Ct);
            }
        }

        throw new InvalidOperationException($"nginx does not listen on 127.0.0.1:{port}: {ReadLog()}");
    }

    private string ReadLog() => File.Exists(Path.Combine(_root, "error.log")) ? File.ReadAllText(Path.Combine(_root, "error.log")) : "(no error.log)";

    /// <summary>An HTTP client whose connections come from <paramref name="source"/> (as nginx's $remote_addr sees it).</summary>
    private static HttpClient Client(IPAddress source) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { Timeout = TimeSpan.FromSeconds(10) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
