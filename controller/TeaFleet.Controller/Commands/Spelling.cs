namespace TeaFleet.Controller.Commands;

/// <summary>The closest spelling of a mistyped word among the valid ones (optimal string alignment distance: Levenshtein plus swapped neighbours).</summary>
public static class Spelling
{
    /// <summary>The valid word nearest to <paramref name="typed"/>, or null when none is near enough to be a typo of it.</summary>
    public static string? Closest(string typed, IEnumerable<string> valid)
    {
        var best = valid
            .Select(v => (Word: v, Distance: Distance(typed, v)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Word, StringComparer.Ordinal)
            .FirstOrDefault();
        // A typo: at most 2 edits, and fewer than half of the word (so "--dry-run" is not taken for "--reason").
        return best.Word is not null && best.Distance <= Math.Min(2, (typed.Length - 1) / 2) ? best.Word : null;
    }

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
