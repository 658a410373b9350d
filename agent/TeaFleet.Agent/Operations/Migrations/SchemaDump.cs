using System.Text.RegularExpressions;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// A plain schema-only dump (pg_dump --schema-only, or pg_restore --schema-only -f -) cut into its
/// objects by pg_dump's own headers ("-- Name: X; Type: T; Schema: S; Owner: O"), each with its
/// definition normalized: comments, SET and set_config lines, psql meta-commands (\restrict), owner
/// and privilege statements, blank lines, indentation and the comma that ends a column line are
/// dropped, so two dumps of the same schema by different pg_dump runs, roles or versions compare equal.
/// </summary>
public sealed partial class SchemaDump
{
    private SchemaDump(IReadOnlyList<SchemaObject> objects) => Objects = objects;

    public IReadOnlyList<SchemaObject> Objects { get; }

    public static SchemaDump Parse(string text)
    {
        var objects = new List<SchemaObject>();
        string? type = null, schema = null, name = null;
        var body = new List<string>();
        void Flush()
        {
            if (type is not null)
            {
                objects.Add(new SchemaObject(type, schema!, name!, body.ToList()));
            }

            body.Clear();
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            var header = Header().Match(line);
            if (header.Success)
            {
                Flush();
                (name, type, schema) = (header.Groups["name"].Value, header.Groups["type"].Value, header.Groups["schema"].Value);
                continue;
            }

            if (type is not null && Normalize(line) is { } normalized)
            {
                body.Add(normalized);
            }
        }

        Flush();
        return new SchemaDump(objects);
    }

    /// <summary>A definition line as compared, or null for a line that says nothing about the schema.</summary>
    private static string? Normalize(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal) || trimmed.StartsWith('\\')
            || trimmed.StartsWith("SET ", StringComparison.Ordinal) || trimmed.StartsWith("SELECT pg_catalog.set_config(", StringComparison.Ordinal)
            || OwnerLine().IsMatch(trimmed) || trimmed.StartsWith("GRANT ", StringComparison.Ordinal) || trimmed.StartsWith("REVOKE ", StringComparison.Ordinal))
        {
            return null;
        }

        trimmed = Spaces().Replace(trimmed, " ");
        return trimmed.EndsWith(',') ? trimmed[..^1] : trimmed;
    }

    // pg_dump writes "-- Name: ...; Type: ...; Schema: ...; Owner: ..." (Owner "-" with --no-owner, Schema "-" for schemaless objects).
    [GeneratedRegex(@"^-- Name: (?<name>.*?); Type: (?<type>[^;]+); Schema: (?<schema>[^;]*); Owner: (?<owner>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^ALTER .* OWNER TO .*;$")]
    private static partial Regex OwnerLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
