using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// A real ufw that changes only a network namespace of its own: `ip netns add tf-fwtest-RANDOM`, copies
/// of /etc/ufw, /lib/ufw and /etc/default/ufw in a temporary directory, and a holder process in a private
/// mount namespace (inside that network namespace) where the copies are bind-mounted over the originals
/// (deploy/dev/up.sh's recipe for a sandbox host). <see cref="Command"/> enters both namespaces, so the
/// machine's own firewall and files are never touched. Set up as an operator's host: default allow
/// incoming, `allow 22/tcp`, `allow 443/tcp`, enabled. Disposed: the holder killed by its PID, the
/// namespaces deleted, the copies removed.
/// </summary>
internal sealed class UfwSandbox : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<string> _namespaces = [];
    private Process? _holder;

    private UfwSandbox()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Name = $"tf-fwtest-{id}";
        Dir = Directory.CreateTempSubdirectory("teafleet-ufw-").FullName;
    }

    public string Name { get; }

    public string Dir { get; }

    /// <summary>Agent:Firewall:Command for this namespace.</summary>
    public List<string> Command { get; private set; } = [];

    public static bool Available => File.Exists("/usr/sbin/ufw") && File.Exists("/usr/bin/nsenter") && Environment.UserName == "root";

    public static async Task<UfwSandbox> CreateAsync(CancellationToken cancellationToken)
    {
        var sandbox = new UfwSandbox();
        try
        {
            await sandbox.StartAsync(cancellationToken);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunAsync("ip", ["netns", "add", Name], cancellationToken);
        _namespaces.Add(Name);
        await RunAsync("cp", ["-a", "/etc/ufw", Path.Combine(Dir, "etc")], cancellationToken);
        await RunAsync("cp", ["-a", "/lib/ufw", Path.Combine(Dir, "lib")], cancellationToken);
        await RunAsync("cp", ["-a", "/etc/default/ufw", Path.Combine(Dir, "default-ufw")], cancellationToken);

        _holder = Start("nsenter", [
            $"--net=/run/netns/{Name}", "--", "unshare", "--mount", "--propagation", "slave", "--",
            "/bin/sh", "-c", "mount --bind \"$1\" /etc/ufw && mount --bind \"$2\" /lib/ufw && mount --bind \"$3\" /etc/default/ufw && exec sleep infinity",
            "tf-fwtest-holder", Path.Combine(Dir, "etc"), Path.Combine(Dir, "lib"), Path.Combine(Dir, "default-ufw")]);
        // nsenter, unshare and sh exec one another: the PID is the holder's once sh has mounted and run sleep.
        var pid = _holder.Id;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ReadComm(pid) != "sleep")
        {
            if (_holder.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the ufw sandbox's holder did not start (exit {(_holder.HasExited ? _holder.ExitCode : -1)})");
            }

            await Task.Delay(20, cancellationToken);
        }

        Command = ["nsenter", $"--net=/run/netns/{Name}", $"--mount=/proc/{pid}/ns/mnt", "--", "ufw"];
        await UfwAsync(["default", "allow", "incoming"], cancellationToken);
        await UfwAsync(["--force", "enable"], cancellationToken);
        await UfwAsync(["allow", "22/tcp"], cancellationToken);
        await UfwAsync(["allow", "443/tcp"], cancellationToken);
    }

    /// <summary>Runs ufw in the sandbox (as the test's operator); its standard output.</summary>
    public Task<string> UfwAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(Command[0], [.. Command.Skip(1), .. arguments], cancellationToken);

    /// <summary>The rules as `ufw status` lists them (after its header), whitespace collapsed: what an operator checks.</summary>
    public async Task<List<string>> RulesAsync(CancellationToken cancellationToken)
    {
        var output = await UfwAsync(["status"], cancellationToken);
        var lines = output.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        var start = lines.FindIndex(l => l.StartsWith("--", StringComparison.Ordinal));
        return start < 0 ? [] : lines.Skip(start + 1).Where(l => l.Length > 0).ToList();
    }

    /// <summary>
    /// A web server on port 80 in the sandbox, reached from a second namespace of the test's own over a veth
    /// pair (10.250.X.Y/30): ufw lets loopback through before any user rule, so the probe must come from outside.
    /// </summary>
    public async Task<Func<CancellationToken, Task<bool>>> ServeHttpAsync(CancellationToken cancellationToken)
    {
        var client = Name + "-c";
        await RunAsync("ip", ["netns", "add", client], cancellationToken);
        _namespaces.Add(client);
        var suffix = Name["tf-fwtest-".Length..][..6];
        var (inside, outside) = ($"tfa{suffix}", $"tfb{suffix}");
        var bytes = RandomNumberGenerator.GetBytes(2);
        var net = $"10.250.{bytes[0]}.{bytes[1] & 0xFC}";
        var server = $"10.250.{bytes[0]}.{(bytes[1] & 0xFC) + 1}";
        var probe = $"10.250.{bytes[0]}.{(bytes[1] & 0xFC) + 2}";
        _ = net;
        await RunAsync("ip", ["link", "add", inside, "netns", Name, "type", "veth", "peer", "name", outside, "netns", client], cancellationToken);
        await RunAsync("ip", ["-n", Name, "addr", "add", $"{server}/30", "dev", inside], cancellationToken);
        await RunAsync("ip", ["-n", Name, "link", "set", inside, "up"], cancellationToken);
        await RunAsync("ip", ["-n", client, "addr", "add", $"{probe}/30", "dev", outside], cancellationToken);
        await RunAsync("ip", ["-n", client, "link", "set", outside, "up"], cancellationToken);
        var www = Directory.CreateDirectory(Path.Combine(Dir, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "tea\n", cancellationToken);
        _processes.Add(Start("nsenter", [$"--net=/run/netns/{Name}", "--", "busybox", "httpd", "-f", "-p", $"{server}:80", "-h", www]));

        return async ct =>
        {
            using var process = Start("nsenter", [$"--net=/run/netns/{client}", "--", "curl", "-s", "-m", "2", $"http://{server}/"]);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(8));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode == 0 && (await process.StandardOutput.ReadToEndAsync(ct)).Contains("tea", StringComparison.Ordinal);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill();
                return false;
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Append(_holder).OfType<Process>())
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }

            process.Dispose();
        }

        foreach (var name in _namespaces)
        {
            await RunAsync("ip", ["netns", "del", name], CancellationToken.None, check: false);
        }

        Directory.Delete(Dir, recursive: true);
    }

    private static string ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static Process Start(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool check = true)
    {
        using var process = Start(program, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
