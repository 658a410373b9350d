using System.Text.RegularExpressions;

namespace TeaFleet.Shared;

/// <summary>What a commit or ref the operator names may look like before it reaches git (never an option, never a path trick).</summary>
public static partial class GitRefs
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")]
    private static partial Regex RefPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullCommitPattern();

    public static bool IsPlausibleRef(string? value) =>
        value is not null && RefPattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) && !value.EndsWith(".lock", StringComparison.Ordinal);

    public static bool IsFullCommit(string? value) => value is not null && FullCommitPattern().IsMatch(value);

    public static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;
}
