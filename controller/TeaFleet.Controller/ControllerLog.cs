using Serilog;
using Serilog.Events;

namespace TeaFleet.Controller;

/// <summary>
/// The controller's own log: details an operator should not have to read on screen at 3 a.m. but will
/// want afterwards (stack traces of unexpected errors, retries, re-attaches), one file a day under
/// $TEAFLEET_LOG_DIR, else $XDG_STATE_HOME/teafleet/logs, else ~/.local/state/teafleet/logs.
/// </summary>
public static class ControllerLog
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("TEAFLEET_LOG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state
                    ? state
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"),
                "teafleet", "logs");

    /// <summary>Today's log file: the file sink rolls by local date, so the name follows the clock's local date.</summary>
    public static string CurrentFile(TimeProvider clock) => Path.Combine(Directory, $"teafleet-{clock.GetLocalNow():yyyyMMdd}.log");

    public static void Start(IReadOnlyList<string> args)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            Log.Logger = new LoggerConfiguration()
                .MinimumLevel.Debug()
                .Enrich.WithProperty("Pid", Environment.ProcessId)
                .WriteTo.File(Path.Combine(Directory, "teafleet-.log"), restrictedToMinimumLevel: LogEventLevel.Debug,
                    rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30, shared: true,
                    outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] ({Pid}) {Message:lj}{NewLine}{Exception}")
                .CreateLogger();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No log is no reason to refuse a rollback.
            Log.Logger = Serilog.Core.Logger.None;
        }

        Log.Information("teafleet {Arguments}", string.Join(' ', args));
    }
}
