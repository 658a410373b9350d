namespace TeaFleet.Fleet.Tests;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string All => StandardOutput + "\n" + StandardError;

    /// <summary>All output with every run of whitespace as one space: the console wraps long lines at its width.</summary>
    public string Flat => System.Text.RegularExpressions.Regex.Replace(All, @"\s+", " ");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
