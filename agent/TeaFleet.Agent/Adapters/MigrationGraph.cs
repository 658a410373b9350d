using System.Text.RegularExpressions;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The Alembic revisions of one commit's code, read from the migration scripts themselves
/// (`revision = "..."`, `down_revision = ... | None | (a, b)`), without running Python: the heads
/// (revisions nothing revises further) and the steps between two revisions.
/// </summary>
public sealed partial class MigrationGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _parents;

    private MigrationGraph(Dictionary<string, IReadOnlyList<string>> parents) => _parents = parents;

    public IReadOnlyCollection<string> Revisions => _parents.Keys;

    /// <summary>Revisions that no other revision names as its down_revision, sorted.</summary>
    public IReadOnlyList<string> Heads =>
        _parents.Keys.Except(_parents.Values.SelectMany(p => p)).Order(StringComparer.Ordinal).ToList();

    public bool Contains(string revision) => _parents.ContainsKey(revision);

    /// <summary>Reads the scripts (file name → text); a file without a revision line is not a migration and is skipped.</summary>
    public static MigrationGraph Parse(IEnumerable<(string Name, string Text)> scripts)
    {
        var parents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, text) in scripts)
        {
            var revision = RevisionLine().Match(text);
            if (!revision.Success)
            {
                continue;
            }

            var id = revision.Groups[1].Value;
            var down = DownRevisionLine().Match(text);
            var downIds = down.Success ? QuotedId().Matches(down.Groups[1].Value).Select(m => m.Groups[1].Value).ToList() : [];
            if (!parents.TryAdd(id, downIds))
            {
                throw new InvalidDataException($"two migration scripts declare revision {id} (one of them is {name})");
            }
        }

        return new MigrationGraph(parents);
    }

    /// <summary>The revision a migration script declares, or null when it declares none (not a migration).</summary>
    public static string? RevisionOf(string text) => RevisionLine().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>
    /// How many revisions lie between an ancestor and a descendant (upgrading from → to applies that
    /// many; downgrading to → from reverts that many); null when to does not descend from from.
    /// </summary>
    public int? StepsBetween(string from, string to)
    {
        if (!Contains(to) || (from.Length > 0 && !Contains(from)))
        {
            return null;
        }

        // Revisions reachable downwards from `to`, minus those reachable from `from` (and `from` itself).
        var fromAncestors = from.Length == 0 ? [] : Ancestors(from);
        if (from.Length > 0 && !Ancestors(to).Contains(from))
        {
            return from == to ? 0 : null;
        }

        return Ancestors(to).Count(r => !fromAncestors.Contains(r));
    }

    /// <summary>
    /// The revisions a downgrade from a revision to an ancestor reverts, newest first ("base" or ""
    /// as the ancestor: down to nothing); null when it is not an ancestor.
    /// </summary>
    public IReadOnlyList<string>? Reverted(string from, string ancestor)
    {
        var toBase = ancestor is "" or "base";
        if (!Contains(from) || (!toBase && !Ancestors(from).Contains(ancestor)))
        {
            return null;
        }

        var keep = toBase ? [] : Ancestors(ancestor);
        var order = new List<string>();
        var queue = new Queue<string>([from]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var current))
        {
            if (keep.Contains(current) || !seen.Add(current))
            {
                continue;
            }

            order.Add(current);
            foreach (var parent in _parents.GetValueOrDefault(current) ?? [])
            {
                queue.Enqueue(parent);
            }
        }

        return order;
    }

    /// <summary>
    /// The revision N single steps below a revision (Alembic's relative "-N"): "base" when that
    /// reaches below the first one; null when a merge lies in the way (the steps are ambiguous) or
    /// there are not that many.
    /// </summary>
    public string? StepsBelow(string from, int steps)
    {
        if (!Contains(from))
        {
            return null;
        }

        var current = from;
        for (var i = 0; i < steps; i++)
        {
            if (current == "base")
            {
                return null;
            }

            var parents = _parents[current];
            if (parents.Count > 1)
            {
                return null;
            }

            current = parents.Count == 0 ? "base" : parents[0];
            if (current != "base" && !Contains(current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Whether a revision merges two or more lines (several down_revisions).</summary>
    public bool IsMerge(string revision) => _parents.TryGetValue(revision, out var p) && p.Count > 1;

    private HashSet<string> Ancestors(string revision)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([revision]);
        while (stack.TryPop(out var current))
        {
            if (seen.Add(current) && _parents.TryGetValue(current, out var parents))
            {
                foreach (var p in parents)
                {
                    stack.Push(p);
                }
            }
        }

        return seen;
    }

    [GeneratedRegex(@"^revision\s*(?::\s*str\s*)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex RevisionLine();

    [GeneratedRegex(@"^down_revision\s*(?::[^=\n]+)?=\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex DownRevisionLine();

    [GeneratedRegex(@"['""]([^'""]+)['""]")]
    private static partial Regex QuotedId();
}
