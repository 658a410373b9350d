using Spectre.Console.Cli;
using TeaFleet.Controller;
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
var app = new CommandApp();
app.Configure(config => CommandAppSetup.Configure(config, TimeProvider.System, new AgentFleetReaderFactory()));
var exitCode = await app.RunAsync(GlobalOptions.MoveToEnd(args), cancellation.Token).ConfigureAwait(false);
Serilog.Log.Information("exit {ExitCode}", exitCode);
await Serilog.Log.CloseAndFlushAsync().ConfigureAwait(false);
return exitCode;
