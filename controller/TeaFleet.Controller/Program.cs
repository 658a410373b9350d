using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Commands;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop following (agent operations keep running); a second one ends the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

// Piped output (a log, CI, `| less`) is not squeezed into 80 columns: tables stay readable.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 160;
}

TeaFleet.Controller.ControllerLog.Start(args);
// The composition root: the one place that names the system clock; everything else takes a TimeProvider.
#pragma warning disable RS0030
var clock = TimeProvider.System;
#pragma warning restore RS0030
var exitCode = await CommandAppSetup.RunAsync(args, clock, new AgentFleetReaderFactory(), Console.Error, null, cancellation.Token).ConfigureAwait(false);
Serilog.Log.Information("exit {ExitCode}", exitCode);
await Serilog.Log.CloseAndFlushAsync().ConfigureAwait(false);
return exitCode;
