using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// A real redis-server of the test's own (Debian's redis-server package; deploy/install-deps.sh installs
/// it) on 127.0.0.1 and a free port, with a random password and no persistence, started by PID and
/// ended by that PID. Cli runs redis-cli against it, as an operator would check by hand.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public string Dir { get; } = Directory.CreateTempSubdirectory("teafleet-redis-").FullName;

    public async ValueTask InitializeAsync()
    {
        var server = Find("redis-server");
        Port = FreePort();
        var start = new ProcessStartInfo(server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Dir,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--requirepass", Password, "--dir", Dir, "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} at start");
            }

            if ((await TryCliAsync(0, "PING")).Output == "PONG")
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 5 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(Dir, recursive: true);
    }

    /// <summary>A file holding the password (or another text), as Agent:Queue:PasswordFile names it.</summary>
    public string PasswordFile(string? text = null)
    {
        var path = Path.Combine(Dir, $"password-{Guid.NewGuid():N}");
        File.WriteAllText(path, (text ?? Password) + "\n");
        return path;
    }

    /// <summary>redis-cli -n DB ARGS..., authenticated; the reply as redis-cli prints it.</summary>
    public async Task<string> CliAsync(int database, params string[] args)
    {
        var (code, output, error) = await TryCliAsync(database, args);
        return code == 0 && !output.StartsWith("ERR", StringComparison.Ordinal)
            ? output
            : throw new InvalidOperationException($"redis-cli {string.Join(' ', args)}: {output} {error}");
    }

    private async Task<(int Code, string Output, string Error)> TryCliAsync(int database, params string[] args)
    {
        var start = new ProcessStartInfo(Find("redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The password through the environment, not the command line (redis-cli's own advice).
        start.Environment["REDISCLI_AUTH"] = Password;
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", database.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Find(string program) =>
        new[] { "/usr/bin", "/usr/local/bin", "/bin" }.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not installed; run deploy/install-deps.sh (Debian's redis-server and redis-tools)");
}
