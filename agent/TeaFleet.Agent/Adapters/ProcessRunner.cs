using System.Text;
using CliWrap;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// Runs an outside program with an argument list (never a shell), streaming its output lines.
/// Cancellation first interrupts the program (SIGINT) and kills it only if it does not stop.
/// </summary>
public sealed class ProcessRunner(ILogger<ProcessRunner> logger)
{
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(10);

    public async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        Action<string>? onLine,
        CancellationToken cancellationToken)
    {
        var tail = new OutputTail();
        var stdout = new StringBuilder();
        void Collect(string line, bool isStdout)
        {
            if (isStdout)
            {
                lock (stdout)
                {
                    stdout.AppendLine(line);
                }
            }

            tail.Add(line);
            onLine?.Invoke(line);
        }

        logger.LogDebug("Running {Program} {Arguments} in {Dir}", program, arguments, workingDirectory);
        var result = await ExecuteAsync(Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Collect(line, true)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Collect(line, false))), cancellationToken);
        lock (stdout)
        {
            return new ProcessResult(result.ExitCode, stdout.ToString(), tail.Lines());
        }
    }

    /// <summary>
    /// Runs a program whose standard output is data, not text (pg_dump): stdout goes to the given
    /// consumer as a stream, stdin (when given) is fed from a stream, stderr lines are collected.
    /// Throws when the exit code is not zero, with the program's last stderr lines.
    /// </summary>
    public async Task RunBinaryAsync(
        string program,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        Stream? standardInput,
        Func<Stream, CancellationToken, Task>? standardOutput,
        Action<string>? onStderrLine,
        CancellationToken cancellationToken)
    {
        var tail = new OutputTail();
        void Collect(string line)
        {
            tail.Add(line);
            onStderrLine?.Invoke(line);
        }

        logger.LogDebug("Running {Program} {Arguments}", program, arguments);
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Collect))
            // Output nobody asked for is read and dropped: a program writing into a closed pipe fails.
            .WithStandardOutputPipe(standardOutput is not null ? PipeTarget.Create(standardOutput) : PipeTarget.ToStream(Stream.Null));
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromStream(standardInput));
        }

        var result = await ExecuteAsync(command, cancellationToken);
        if (result.ExitCode != 0)
        {
            var last = tail.Lines().TakeLast(5).ToList();

            throw new ProcessFailedException(
                $"{Path.GetFileName(program)} exited with {result.ExitCode}: {string.Join(" | ", last)}",
                new ProcessResult(result.ExitCode, "", last));
        }
    }

    /// <summary>Runs a command to its end; cancellation sends SIGINT first and kills only after KillAfter.</summary>
    private static async Task<CommandResult> ExecuteAsync(Command command, CancellationToken cancellationToken)
    {
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(KillAfter));
        try
        {
            return await command.WithValidation(CommandResultValidation.None).ExecuteAsync(forceful.Token, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw AgentException.Precondition($"cannot start {command.TargetFilePath}: {ex.Message}; install it on this host or fix the agent's configuration");
        }
    }

    /// <summary>Runs and throws when the exit code is not zero, with the program's last lines.</summary>
    public async Task<ProcessResult> RunCheckedAsync(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        Action<string>? onLine,
        CancellationToken cancellationToken)
    {
        var result = await RunAsync(program, arguments, workingDirectory, environment, onLine, cancellationToken);
        if (result.ExitCode != 0)
        {
            var last = string.Join(" | ", result.Tail.TakeLast(5));
            throw new ProcessFailedException(
                $"{program} {string.Join(' ', arguments.Take(6))} exited with {result.ExitCode}: {last}", result);
        }

        return result;
    }

    /// <summary>The last lines a program wrote, for error messages; safe to add to from two pipes at once.</summary>
    private sealed class OutputTail
    {
        private const int Keep = 30;
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public void Add(string line)
        {
            lock (_gate)
            {
                _lines.Enqueue(line);
                if (_lines.Count > Keep)
                {
                    _lines.Dequeue();
                }
            }
        }

        public IReadOnlyList<string> Lines()
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }
}
