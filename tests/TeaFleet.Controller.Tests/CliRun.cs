using Spectre.Console.Testing;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Commands;

namespace TeaFleet.Controller.Tests;

/// <summary>Runs the command line as Program does (<see cref="CommandAppSetup.RunAsync"/>), on a test console, with stderr captured.</summary>
public static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeProvider time, IFleetReaderFactory readers, params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 400;
        using var error = new StringWriter();
        var exit = await CommandAppSetup.RunAsync(args, time, readers, error, console, TestContext.Current.CancellationToken);
        return (exit, console.Output, error.ToString());
    }
}
