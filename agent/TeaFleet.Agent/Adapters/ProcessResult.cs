namespace TeaFleet.Agent.Adapters;

/// <summary>How a program ended: exit code, its standard output, and its last lines (both streams).</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, IReadOnlyList<string> Tail);
