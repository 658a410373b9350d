using System.Text.RegularExpressions;
using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// Compares a live schema dump with a reference dump object by object (pg_dump's headers): only in
/// live = extra (a leftover), only in the reference = missing, in both with another definition =
/// changed. What belongs to an extra or missing table (its constraints, defaults, indexes, owned
/// sequences, triggers) is folded into the table's line rather than listed on its own: dropping the
/// table drops them. Differences come in the live dump's order (the order pg_dump creates them in).
/// </summary>
public static partial class SchemaComparer
{
    /// <summary>The object types repair leftovers drops, with a plain DROP of that type.</summary>
    public static readonly IReadOnlySet<string> DroppableTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "TYPE", "TABLE", "SEQUENCE", "INDEX", "VIEW", "FUNCTION",
    };

    // Entries pg_dump names "TABLE CHILD" (a table's name, a space, the child's name).
    private static readonly HashSet<string> TableChildTypes = new(StringComparer.Ordinal)
    {
        "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT", "DEFAULT", "TRIGGER", "RULE", "POLICY", "ROW SECURITY",
    };

    private const int DetailLimit = 300;

    public static IReadOnlyList<SchemaDifference> Compare(SchemaDump reference, SchemaDump live)
    {
        var referenceByKey = ByKey(reference);
        var liveByKey = ByKey(live);
        var extra = live.Objects.Where(o => !referenceByKey.ContainsKey(o.Key)).ToList();
        var missing = reference.Objects.Where(o => !liveByKey.ContainsKey(o.Key)).ToList();
        var differences = new List<SchemaDifference>();
        differences.AddRange(Fold(extra, SchemaDifferenceKind.Extra, "only in the live schema"));
        differences.AddRange(Fold(missing, SchemaDifferenceKind.Missing, "only in the reference schema"));
        foreach (var now in live.Objects)
        {
            if (referenceByKey.TryGetValue(now.Key, out var then) && !then.Definition.SequenceEqual(now.Definition, StringComparer.Ordinal))
            {
                var added = now.Definition.Except(then.Definition, StringComparer.Ordinal).Select(l => "+ " + l);
                var removed = then.Definition.Except(now.Definition, StringComparer.Ordinal).Select(l => "- " + l);
                var lines = added.Concat(removed).ToList();
                differences.Add(new SchemaDifference
                {
                    Kind = SchemaDifferenceKind.Changed,
                    ObjectType = now.Type,
                    Schema = now.Schema,
                    Name = now.Name,
                    Detail = Limit(lines.Count > 0 ? string.Join("; ", lines) : "the same lines in another order"),
                });
            }
        }

        return differences;
    }

    /// <summary>The statement that drops an extra object of a droppable type: a plain DROP, never CASCADE, every identifier quoted.</summary>
    public static string DropStatement(SchemaDifference difference)
    {
        if (difference.Kind != SchemaDifferenceKind.Extra || !DroppableTypes.Contains(difference.ObjectType))
        {
            throw new InvalidOperationException($"{difference.Label} is not a leftover TeaFleet drops");
        }

        var schema = difference.Schema is "" or "-" ? "" : Quote(difference.Schema) + ".";
        if (difference.ObjectType == "FUNCTION")
        {
            // pg_dump names a function with its argument types as SQL ("order_total(public.orders)").
            var open = difference.Name.IndexOf('(', StringComparison.Ordinal);
            if (open <= 0 || !difference.Name.EndsWith(')'))
            {
                throw new InvalidOperationException($"cannot read the signature of {difference.Label}");
            }

            return $"DROP FUNCTION {schema}{Quote(difference.Name[..open])}{difference.Name[open..]}";
        }

        return $"DROP {difference.ObjectType} {schema}{Quote(difference.Name)}";
    }

    /// <summary>An identifier in double quotes, inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The name a leftover is searched by in migration scripts: a function's name without its arguments.</summary>
    public static string BareName(SchemaDifference difference)
    {
        var open = difference.Name.IndexOf('(', StringComparison.Ordinal);
        return open > 0 ? difference.Name[..open] : difference.Name;
    }

    private static IEnumerable<SchemaDifference> Fold(List<SchemaObject> objects, SchemaDifferenceKind kind, string what)
    {
        var tables = objects.Where(o => o.Type is "TABLE" or "VIEW" or "MATERIALIZED VIEW").ToList();
        var folded = new Dictionary<SchemaObject, List<string>>();
        var belongs = new HashSet<SchemaObject>();
        foreach (var o in objects)
        {
            var owner = tables.FirstOrDefault(t => !ReferenceEquals(t, o) && t.Schema == o.Schema && BelongsTo(o, t, objects));
            if (owner is not null)
            {
                belongs.Add(o);
                if (o.Type == "SEQUENCE OWNED BY")
                {
                    continue;
                }

                (folded.TryGetValue(owner, out var list) ? list : folded[owner] = []).Add($"{o.Type.ToLowerInvariant()} {ChildName(o, owner)}");
            }
        }

        foreach (var o in objects.Where(o => !belongs.Contains(o)))
        {
            var with = folded.TryGetValue(o, out var children) ? $"; with its {string.Join(", ", children.Distinct(StringComparer.Ordinal))}" : "";
            yield return new SchemaDifference
            {
                Kind = kind,
                ObjectType = o.Type,
                Schema = o.Schema,
                Name = o.Name,
                Detail = Limit(what + with),
                Droppable = kind == SchemaDifferenceKind.Extra && DroppableTypes.Contains(o.Type),
            };
        }
    }

    private static bool BelongsTo(SchemaObject o, SchemaObject table, List<SchemaObject> all)
    {
        var qualified = Qualified(table.Schema, table.Name);
        if (TableChildTypes.Contains(o.Type) || o.Type == "COMMENT")
        {
            return o.Name.StartsWith(table.Name + " ", StringComparison.Ordinal) || o.Name == $"TABLE {table.Name}";
        }

        if (o.Type == "INDEX")
        {
            return o.Definition.Any(l => OnTable().Match(l) is { Success: true } m && m.Groups[1].Value == qualified);
        }

        if (o.Type is "SEQUENCE" or "SEQUENCE OWNED BY")
        {
            // A serial's sequence: "ALTER SEQUENCE public.s OWNED BY public.t.c;" in its OWNED BY entry.
            return all.Any(x => x.Type == "SEQUENCE OWNED BY" && x.Schema == o.Schema && x.Name == o.Name
                && x.Definition.Any(l => OwnedBy().Match(l) is { Success: true } m && m.Groups[1].Value == qualified));
        }

        return false;
    }

    private static string ChildName(SchemaObject o, SchemaObject table) =>
        o.Name.StartsWith(table.Name + " ", StringComparison.Ordinal) ? o.Name[(table.Name.Length + 1)..] : o.Name;

    /// <summary>A qualified name as pg_dump writes it: an identifier quoted only when it needs quotes.</summary>
    private static string Qualified(string schema, string name) => $"{PgIdentifier(schema)}.{PgIdentifier(name)}";

    private static string PgIdentifier(string name) => PlainIdentifier().IsMatch(name) ? name : Quote(name);

    private static Dictionary<(string, string, string), SchemaObject> ByKey(SchemaDump dump)
    {
        var map = new Dictionary<(string, string, string), SchemaObject>();
        foreach (var o in dump.Objects)
        {
            map.TryAdd(o.Key, o);
        }

        return map;
    }

    private static string Limit(string text) => text.Length <= DetailLimit ? text : text[..(DetailLimit - 1)] + "…";

    [GeneratedRegex(@" ON (?:ONLY )?(.+?) USING ")]
    private static partial Regex OnTable();

    [GeneratedRegex(@" OWNED BY (.+)\.[^.]+;$")]
    private static partial Regex OwnedBy();

    [GeneratedRegex(@"^[a-z_][a-z0-9_$]*$")]
    private static partial Regex PlainIdentifier();
}
