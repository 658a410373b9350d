using System.Diagnostics;
using System.Text;

namespace TeaFleet.Fleet.Tests;

/// <summary>Runs programs with argument lists, as an operator's shell would, and collects what they print.</summary>
public static class Processes
{
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(program, args, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}: {await stdout}\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        return process;
    }

    public static async Task<string> CheckedAsync(string program, params string[] args)
    {
        var result = await RunAsync(program, args, TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {result}");
        return result.StandardOutput;
    }
}
