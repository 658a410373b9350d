using System.Text.RegularExpressions;

namespace TeaFleet.Shared;

/// <summary>The one rule for operation ids, checked by the controller before it sends and by the agent when it receives.</summary>
public static partial class OperationIds
{
    public const int MaxLength = 100;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    public static string Describe => "1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";
}
